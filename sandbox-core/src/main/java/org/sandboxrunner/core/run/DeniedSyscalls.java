package org.sandboxrunner.core.run;

import java.util.List;
import java.util.Optional;

/**
 * The denied-syscall report of one run.
 *
 * @param off      why the report did not run, when it did not (the filter still decided every call)
 * @param syscalls one entry per distinct (architecture, number, action), in the order first seen
 * @param dropped  refusals not itemised because the supervisor's table was full (notify.h MAX_DENIED)
 */
public record DeniedSyscalls(Optional<String> off, List<DeniedSyscall> syscalls, long dropped) {

    public DeniedSyscalls {
        syscalls = List.copyOf(syscalls);
    }

    /** A run without a report: no filter, or the reason given. */
    public static DeniedSyscalls off(String why) {
        return new DeniedSyscalls(Optional.of(why), List.of(), 0);
    }

    /** Whether the supervisor killed a process because the profile's filter says KILL_PROCESS. */
    public boolean killed() {
        return syscalls.stream().anyMatch(s -> s.action().equals(DeniedSyscallNames.KILL_PROCESS));
    }
}
