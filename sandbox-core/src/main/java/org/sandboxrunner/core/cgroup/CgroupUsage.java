package org.sandboxrunner.core.cgroup;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What a run's processes used, read from its cgroup. docs/grading.md lists the file behind each
 * figure on v1 and v2.
 *
 * @param cpuTimeNanos    CPU time of every task that ran in the cgroup, exited children included
 * @param memoryPeakBytes the highest memory use seen; empty when the kernel keeps no peak (cgroup v2
 *                        before Linux 5.19 has no {@code memory.peak}); {@link #unavailable()} says so
 * @param memoryLimitHits times the memory limit was reached (v1 {@code memory.failcnt} plus
 *                        {@code memory.memsw.failcnt}, v2 {@code memory.events} {@code max})
 * @param oomKills        processes the OOM killer killed inside the cgroup ({@code oom_kill})
 * @param pidsCurrent     tasks in the cgroup now
 * @param pidsPeak        the most tasks at once; empty on kernels without {@code pids.peak}
 * @param unavailable     one sentence per figure the kernel could not give, naming the missing file
 */
public record CgroupUsage(
        long cpuTimeNanos,
        OptionalLong memoryPeakBytes,
        long memoryLimitHits,
        long oomKills,
        long pidsCurrent,
        OptionalLong pidsPeak,
        List<String> unavailable) {

    public CgroupUsage {
        Objects.requireNonNull(memoryPeakBytes, "memoryPeakBytes");
        Objects.requireNonNull(pidsPeak, "pidsPeak");
        unavailable = List.copyOf(Objects.requireNonNull(unavailable, "unavailable"));
        requireNonNegative(cpuTimeNanos, "cpuTimeNanos");
        requireNonNegative(memoryLimitHits, "memoryLimitHits");
        requireNonNegative(oomKills, "oomKills");
        requireNonNegative(pidsCurrent, "pidsCurrent");
        memoryPeakBytes.ifPresent(v -> requireNonNegative(v, "memoryPeakBytes"));
        pidsPeak.ifPresent(v -> requireNonNegative(v, "pidsPeak"));
    }

    private static void requireNonNegative(long value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException("cgroup usage " + what + " must not be negative, got " + value);
        }
    }
}
