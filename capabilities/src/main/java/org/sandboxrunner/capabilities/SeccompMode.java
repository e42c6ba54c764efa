package org.sandboxrunner.capabilities;

/** A thread's seccomp mode, as the {@code Seccomp:} field of {@code /proc/PID/status} shows it. */
public enum SeccompMode {
    /** {@code SECCOMP_MODE_DISABLED} (0). */
    DISABLED,
    /** {@code SECCOMP_MODE_STRICT} (1): only read, write, _exit and sigreturn. */
    STRICT,
    /** {@code SECCOMP_MODE_FILTER} (2): one or more BPF filters are installed. */
    FILTER;

    /** The value the kernel shows and {@code prctl(PR_GET_SECCOMP)} returns. */
    public int value() {
        return ordinal();
    }
}
