package org.sandboxrunner.core.cgroup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Kills every process of a cgroup in rounds until none is left, within a time limit. Only pids
 * read from the run's own cgroup.procs files are ever signalled, and each through a
 * {@link ProcessHandle}, which checks the process's start time so that a recycled pid is never hit.
 */
final class TreeKiller {
    private TreeKiller() {}

    interface PidSource {
        List<Long> pids() throws CgroupException;
    }

    /** One attempt at killing everything; the caller then waits for the tasks to go. */
    interface Round {
        void run() throws CgroupException, InterruptedException;
    }

    static void killUntilEmpty(String what, PidSource source, Round round, Duration timeout) throws CgroupException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            List<Long> pids = source.pids();
            while (!pids.isEmpty()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new CgroupException("cgroup " + what + ": processes " + pids + " are still there after "
                            + timeout.toMillis() + " ms of killing");
                }
                round.run();
                pids = awaitEmpty(source, Math.min(deadline, System.nanoTime() + 50_000_000L));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CgroupException("cgroup " + what + ": interrupted while killing its processes", e);
        }
    }

    /** A round that freezes the cgroup (when it has a freezer), SIGKILLs every pid in it, and thaws it. */
    static Round freezeKillThaw(Optional<Freezer> freezer, PidSource source) {
        return () -> {
            if (freezer.isPresent()) {
                freezer.get().freeze();
            }
            try {
                for (long pid : source.pids()) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            } finally {
                if (freezer.isPresent()) {
                    freezer.get().thaw();
                }
            }
        };
    }

    private static List<Long> awaitEmpty(PidSource source, long until) throws CgroupException, InterruptedException {
        List<Long> pids = source.pids();
        while (!pids.isEmpty() && System.nanoTime() - until < 0) {
            pause();
            pids = source.pids();
        }
        return pids;
    }

    /** Removes directories, retrying while the kernel still counts exiting tasks in them (EBUSY). */
    static void removeAll(String what, List<Path> dirs, Duration timeout) throws CgroupException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Path dir : dirs) {
            while (true) {
                try {
                    CgroupFiles.rmdir(dir);
                    break;
                } catch (CgroupException e) {
                    if (System.nanoTime() - deadline > 0) {
                        throw e;
                    }
                    try {
                        pause();
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw new CgroupException("cgroup " + what + ": interrupted while removing it", interrupted);
                    }
                }
            }
        }
    }

    /**
     * Waits 0.1 ms between polls: a task dies or freezes within microseconds to a few milliseconds,
     * and a 1 ms sleep would add up to a millisecond to every run's cleanup.
     */
    static void pause() throws InterruptedException {
        LockSupport.parkNanos(100_000);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }
}
