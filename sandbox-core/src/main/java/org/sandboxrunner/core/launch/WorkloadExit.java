package org.sandboxrunner.core.launch;

/**
 * How the workload ended, from wait4(2) in the sandbox's init: the raw wait status and its rusage
 * (which includes the descendants it reaped).
 */
public record WorkloadExit(int waitStatus, long userMicros, long systemMicros, long maxRssKb,
        long minorFaults, long majorFaults, long voluntarySwitches, long involuntarySwitches) {

    public boolean exited() {
        return (waitStatus & 0x7f) == 0;
    }

    public int exitCode() {
        return (waitStatus >> 8) & 0xff;
    }

    /** The signal that killed the workload, or 0. */
    public int signal() {
        int sig = waitStatus & 0x7f;
        return sig == 0x7f ? 0 : sig;
    }
}
