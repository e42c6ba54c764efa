package org.sandboxrunner.core.run;

/** The verdict of a run. Each one is decided from kernel facts, never guessed from an exit code. */
public enum Status {
    /** Exited with status 0. */
    OK,
    /** Exited with a non-zero status. */
    RE,
    /** Killed by a signal that no limit and no security stop explains. */
    SG,
    /** The CPU or wall time limit fired ({@code limit} says which). */
    TLE,
    /** The cgroup's memory limit killed it (an OOM kill counted by the cgroup). */
    MLE,
    /** The output limit (stdout plus stderr, or RLIMIT_FSIZE for files) fired. */
    OLE,
    /** A security stop: the seccomp filter killed it (SIGSYS). */
    SC,
    /** The sandbox could not be set up, or the runner failed; the workload did not run to its end. */
    XX
}
