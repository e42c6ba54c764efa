package org.sandboxrunner.core.cgroup;

/**
 * The memory a run may use, and how much of it may be swapped out.
 *
 * <p>Both values are whole 4 KiB pages: the kernel counts memory in pages and rounds what it is
 * given down, so an unaligned value could never read back as written.
 *
 * @param maxBytes     memory (RAM) the run's processes may use together; v1 {@code
 *                     memory.limit_in_bytes}, v2 {@code memory.max}
 * @param swapMaxBytes swap on top of that; 0 (the default) means none. v2 {@code memory.swap.max};
 *                     v1 expresses it as {@code memory.memsw.limit_in_bytes = maxBytes + swapMaxBytes}
 */
public record MemoryLimit(long maxBytes, long swapMaxBytes) {
    static final long PAGE = 4096;
    /** Half of Long.MAX_VALUE, so that maxBytes + swapMaxBytes (the v1 memsw value) cannot overflow. */
    static final long MAX_BYTES = Long.MAX_VALUE / 2 / PAGE * PAGE;

    public MemoryLimit {
        requirePages(maxBytes, "memory maxBytes");
        if (maxBytes == 0) {
            throw new IllegalArgumentException("memory maxBytes must be positive, got 0");
        }
        requirePages(swapMaxBytes, "memory swapMaxBytes");
    }

    /** A memory limit without swap. */
    public static MemoryLimit of(long maxBytes) {
        return new MemoryLimit(maxBytes, 0);
    }

    private static void requirePages(long bytes, String what) {
        if (bytes < 0 || bytes > MAX_BYTES) {
            throw new IllegalArgumentException(what + " must be between 0 and " + MAX_BYTES + ", got " + bytes);
        }
        if (bytes % PAGE != 0) {
            throw new IllegalArgumentException(what + " must be a multiple of " + PAGE
                    + " (the kernel counts memory in pages), got " + bytes);
        }
    }
}
