package org.sandboxrunner.capabilities;

/**
 * The four user or group ids of a thread, in the order {@code /proc/PID/status} prints them on its
 * {@code Uid:} and {@code Gid:} lines: real, effective, saved set-ID, filesystem. Ids are unsigned
 * 32-bit values, as seen from the reader's user namespace.
 */
public record ProcessIds(long real, long effective, long saved, long filesystem) {
    public ProcessIds {
        requireId(real, "real");
        requireId(effective, "effective");
        requireId(saved, "saved");
        requireId(filesystem, "filesystem");
    }

    /** All four ids the same, as after {@code setresuid(id, id, id)}. */
    public static ProcessIds all(long id) {
        return new ProcessIds(id, id, id, id);
    }

    static void requireId(long id, String what) {
        if (id < 0 || id > 0xffff_ffffL) {
            throw new IllegalArgumentException(what + " id " + id + " is outside 0..4294967295");
        }
    }
}
