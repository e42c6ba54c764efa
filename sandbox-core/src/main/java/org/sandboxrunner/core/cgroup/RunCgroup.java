package org.sandboxrunner.core.cgroup;

import java.nio.file.Path;
import java.util.List;

/**
 * The cgroup of one run (a leaf under the project parent; one directory per v1 hierarchy). Made
 * by {@link CgroupSystem#create}, with its limits written and read back. The native stage writes
 * the child's pid into every {@link #procsFiles()} entry before it lets the child run; after the
 * run {@link #usage()} gives the figures and {@link #close()} kills what is left and removes it.
 *
 * <p>Closing twice is harmless; a failed close can be retried.
 */
public interface RunCgroup extends AutoCloseable {

    /** The leaf's directory name, {@code LABEL-PID-STARTTIME-SEQ} (see docs/grading.md). */
    String name();

    CgroupVersion version();

    /** The leaf directories: one per v1 hierarchy the run uses, one on v2. */
    List<Path> directories();

    /** The {@code cgroup.procs} files to write the child's pid into, in this order. */
    List<Path> procsFiles();

    /** The file that grows with the run's CPU time, and its format, for a supervisor to poll. */
    CpuUsageFile cpuUsageFile();

    /**
     * What {@link #cpuUsageFile()} showed when this run began, in nanoseconds: 0 for a fresh leaf,
     * the slot's figure when a worker slot's leaf is reused and the kernel keeps the counter
     * running (cgroup v2 {@code cpu.stat}). A supervisor's CPU limit is this plus the run's.
     */
    default long cpuBaselineNanos() {
        return 0;
    }

    /** Moves a process (all its threads) into the run's cgroup by writing it to {@link #procsFiles()}. */
    void attach(long pid) throws CgroupException;

    /** The processes in the run's cgroup now (on v1, in any of its hierarchies). */
    List<Long> pids() throws CgroupException;

    /** Reads the run's resource figures. */
    CgroupUsage usage() throws CgroupException;

    /**
     * Kills every process in the run's cgroup and waits until none is left, at most the configured
     * kill timeout: v2 writes {@code cgroup.kill} (or freezes, kills each pid and thaws on kernels
     * before 5.14); v1 freezes the freezer leaf, sends SIGKILL to every pid and thaws, as many
     * rounds as it takes (a frozen process cannot fork, so no new pid escapes a round).
     */
    void killAll() throws CgroupException;

    /** {@link #killAll()}, then removes every leaf directory. */
    @Override
    void close() throws CgroupException;
}
