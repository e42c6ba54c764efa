package org.sandboxrunner.core.launch;

import java.util.List;

/**
 * One kind of syscall the supervisor refused for the seccomp filter, as the native stage counted it
 * (notify.h): the raw seccomp_data identity, the profile's action, how often, and the first call's
 * arguments.
 *
 * @param arch   seccomp_data.arch (AUDIT_ARCH_*)
 * @param nr     seccomp_data.nr as the kernel presented it (x32 numbers carry bit 30)
 * @param action the profile filter's SECCOMP_RET_* value: SECCOMP_RET_ERRNO(x) or SECCOMP_RET_KILL_PROCESS
 * @param count  how many calls were refused
 * @param args   the six argument registers of the first call
 */
public record DeniedEvent(int arch, int nr, int action, long count, List<Long> args) {
    /** SECCOMP_RET_KILL_PROCESS (include/uapi/linux/seccomp.h). */
    public static final int KILL_PROCESS = 0x8000_0000;

    public DeniedEvent {
        args = List.copyOf(args);
        if (args.size() != 6) {
            throw new IllegalArgumentException("a denied syscall has 6 argument registers, got " + args.size());
        }
        if (count < 1) {
            throw new IllegalArgumentException("a denied syscall is counted at least once, got " + count);
        }
    }

    /** Whether the supervisor killed the process, as the profile's KILL_PROCESS asks. */
    public boolean killed() {
        return action == KILL_PROCESS;
    }
}
