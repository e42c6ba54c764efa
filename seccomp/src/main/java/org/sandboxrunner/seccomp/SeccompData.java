package org.sandboxrunner.seccomp;

import java.util.List;

/**
 * {@code struct seccomp_data} (include/uapi/linux/seccomp.h): what a filter sees of a syscall.
 * {@code arch} is the AUDIT_ARCH_* value; x32 syscalls arrive as AUDIT_ARCH_X86_64 with bit 30
 * (__X32_SYSCALL_BIT) set in {@code nr}.
 */
public record SeccompData(int nr, int arch, long instructionPointer, List<Long> args) {
    /** A syscall has six argument registers (syscall(2)). */
    public static final int ARGS = 6;
    /** sizeof(struct seccomp_data). */
    public static final int SIZE = 64;

    public SeccompData {
        args = List.copyOf(args);
        if (args.size() != ARGS) {
            throw new IllegalArgumentException("seccomp_data has " + ARGS + " arguments, got " + args.size());
        }
    }

    /** A syscall with the given leading arguments, the rest zero, at instruction pointer 0. */
    public static SeccompData of(int arch, int nr, long... args) {
        if (args.length > ARGS) {
            throw new IllegalArgumentException("seccomp_data has " + ARGS + " arguments, got " + args.length);
        }
        Long[] all = new Long[ARGS];
        for (int i = 0; i < ARGS; i++) {
            all[i] = i < args.length ? args[i] : 0L;
        }
        return new SeccompData(nr, arch, 0, List.of(all));
    }
}
