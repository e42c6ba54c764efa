package org.sandboxrunner.core.box;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.sandboxrunner.core.image.NativeFsException;

/**
 * The new mount API (fsopen(2), fsconfig(2), fsmount(2)) and lgetxattr(2) through JNA, for the box
 * overlay, whose mounts stay detached (the sandbox's init attaches the overlay in the run's namespace). Each failure names the call, its argument and strerror, read at once.
 * Syscall numbers are x86_64's (arch/x86/entry/syscalls/syscall_64.tbl); the runner is built for it.
 */
final class MountCalls {
    private interface LibC extends Library {
        long syscall(long number, Object... args);

        long lgetxattr(byte[] path, byte[] name, byte[] value, long size);

        int close(int fd);

        String strerror(int errno);
    }

    private static final LibC LIBC = Native.load("c", LibC.class);
    private static final long SYS_FSOPEN = 430;
    private static final long SYS_FSCONFIG = 431;
    private static final long SYS_FSMOUNT = 432;
    private static final int FSOPEN_CLOEXEC = 1;
    private static final int FSMOUNT_CLOEXEC = 1;
    private static final int FSCONFIG_SET_STRING = 1;
    private static final int FSCONFIG_CMD_CREATE = 6;
    static final int MOUNT_ATTR_NOSUID = 0x2;
    static final int MOUNT_ATTR_NODEV = 0x4;
    private static final int ENODATA = 61;

    private MountCalls() {}

    /** A new filesystem context of {@code type} with these string options, created and mounted detached. */
    static int mountDetached(String type, String[][] options, int attributes) throws NativeFsException {
        int fs = (int) LIBC.syscall(SYS_FSOPEN, c(type), (long) FSOPEN_CLOEXEC);
        if (fs < 0) {
            throw error("fsopen", type);
        }
        try {
            for (String[] kv : options) {
                if (LIBC.syscall(SYS_FSCONFIG, (long) fs, (long) FSCONFIG_SET_STRING, c(kv[0]), c(kv[1]), 0L) < 0) {
                    throw error("fsconfig", type + " " + kv[0] + "=" + kv[1]);
                }
            }
            if (LIBC.syscall(SYS_FSCONFIG, (long) fs, (long) FSCONFIG_CMD_CREATE, null, null, 0L) < 0) {
                throw error("fsconfig", type + " create");
            }
            int mnt = (int) LIBC.syscall(SYS_FSMOUNT, (long) fs, (long) FSMOUNT_CLOEXEC, (long) attributes);
            if (mnt < 0) {
                throw error("fsmount", type);
            }
            return mnt;
        } finally {
            LIBC.close(fs);
        }
    }

    static void close(int fd) {
        LIBC.close(fd);
    }

    /** Whether the extended attribute {@code name} of {@code path} itself (not followed) is {@code value}. */
    static boolean xattrIs(String path, String name, String value) throws NativeFsException {
        byte[] want = value.getBytes(StandardCharsets.UTF_8);
        byte[] buf = new byte[want.length + 1];
        long n = LIBC.lgetxattr(c(path), c(name), buf, buf.length);
        if (n < 0) {
            int errno = Native.getLastError();
            if (errno == ENODATA) {
                return false;
            }
            throw new NativeFsException("lgetxattr", path + " " + name, errno, LIBC.strerror(errno));
        }
        return n == want.length && Arrays.equals(Arrays.copyOf(buf, (int) n), want);
    }

    private static NativeFsException error(String function, String argument) {
        int errno = Native.getLastError();
        return new NativeFsException(function, argument, errno, LIBC.strerror(errno));
    }

    private static byte[] c(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] r = new byte[b.length + 1];
        System.arraycopy(b, 0, r, 0, b.length);
        return r;
    }
}
