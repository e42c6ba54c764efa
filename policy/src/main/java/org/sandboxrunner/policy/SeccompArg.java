package org.sandboxrunner.policy;

/**
 * OCI {@code linux.seccomp.syscalls[].args[]}. {@code value} and {@code valueTwo} are unsigned 64-bit
 * numbers held in a {@code long}; for {@link SeccompOperator#SCMP_CMP_MASKED_EQ} {@code value} is the
 * mask and {@code valueTwo} the value compared with {@code arg & mask}.
 */
public record SeccompArg(int index, long value, long valueTwo, SeccompOperator op) {

    /** A syscall has at most six arguments (syscall(2)). */
    public static final int MAX_INDEX = 5;

    public SeccompArg {
        if (index < 0 || index > MAX_INDEX) {
            throw new IllegalArgumentException("args[].index must be between 0 and 5, got " + index);
        }
        Checks.required(op, "args[].op");
    }
}
