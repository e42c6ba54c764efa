package org.sandboxrunner.core.image;

/**
 * What unpacking allows and how much it accepts. Device nodes and setuid/setgid bits are dropped unless
 * allowed; {@code maxBytes} bounds the uncompressed bytes of the whole image (tar headers included, so a
 * decompression bomb stops there) and {@code maxEntries} its number of tar entries.
 */
public record UnpackOptions(boolean allowDevices, boolean allowSetuid, long maxBytes, long maxEntries) {

    /** 16 GiB and a million entries: larger than any toolchain image a grader runs, far below a bomb's. */
    public static final UnpackOptions DEFAULTS = new UnpackOptions(false, false, 16L << 30, 1_000_000);

    public UnpackOptions {
        if (maxBytes <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("unpack limits must be positive");
        }
    }

    public UnpackOptions withLimits(long bytes, long entries) {
        return new UnpackOptions(allowDevices, allowSetuid, bytes, entries);
    }

    /**
     * The cache is split by what was allowed, so a layer unpacked with devices for one profile is never
     * reused for a profile that forbids them.
     */
    String flavor() {
        return allowDevices ? (allowSetuid ? "devices-setuid" : "devices") : (allowSetuid ? "setuid" : "strict");
    }
}
