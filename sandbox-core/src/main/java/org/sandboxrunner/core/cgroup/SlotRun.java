package org.sandboxrunner.core.cgroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One run in a worker slot's leaf ({@link SlotCgroup}): its figures are the leaf's minus those read
 * when the run began, and closing it kills what is left but keeps the leaf for the slot's next run.
 */
final class SlotRun implements RunCgroup {
    private final LeafCgroup leaf;
    /** The leaf's figures right after its reset; empty on a fresh leaf, whose figures are all the run's. */
    private final Optional<CgroupUsage> baseline;
    private volatile boolean returned;

    SlotRun(LeafCgroup leaf, Optional<CgroupUsage> baseline) {
        this.leaf = Objects.requireNonNull(leaf, "leaf");
        this.baseline = Objects.requireNonNull(baseline, "baseline");
    }

    @Override
    public String name() {
        return leaf.name();
    }

    @Override
    public CgroupVersion version() {
        return leaf.version();
    }

    @Override
    public List<Path> directories() {
        return leaf.directories();
    }

    @Override
    public List<Path> procsFiles() {
        return leaf.procsFiles();
    }

    @Override
    public CpuUsageFile cpuUsageFile() {
        return leaf.cpuUsageFile();
    }

    @Override
    public long cpuBaselineNanos() {
        return baseline.map(CgroupUsage::cpuTimeNanos).orElse(0L);
    }

    @Override
    public void attach(long pid) throws CgroupException {
        leaf.attach(pid);
    }

    @Override
    public List<Long> pids() throws CgroupException {
        return leaf.pids();
    }

    @Override
    public CgroupUsage usage() throws CgroupException {
        CgroupUsage now = leaf.usage();
        if (baseline.isEmpty()) {
            return now;
        }
        CgroupUsage base = baseline.get();
        List<String> unavailable = new ArrayList<>(now.unavailable());
        if (now.pidsPeak().isPresent()) {
            unavailable.add(leaf.name() + " pids.peak counts every run of its worker slot and cannot be reset:"
                    + " no peak task count");
        }
        // The memory peak was reset (not a difference); the counters never go down, so the run's
        // share is what they gained since the reset.
        return new CgroupUsage(now.cpuTimeNanos() - base.cpuTimeNanos(), now.memoryPeakBytes(),
                now.memoryLimitHits() - base.memoryLimitHits(), now.oomKills() - base.oomKills(), now.pidsCurrent(),
                OptionalLong.empty(), unavailable);
    }

    @Override
    public void killAll() throws CgroupException {
        leaf.killAll();
    }

    /**
     * Kills what is left of the run; the leaf stays for the slot's next run. The leaf goes back to
     * the slot even when the kill fails: the slot checks it is empty before reusing it.
     */
    @Override
    public void close() throws CgroupException {
        if (returned) {
            return;
        }
        try {
            leaf.killAll();
        } finally {
            returned = true;
        }
    }

    boolean isReturned() {
        return returned;
    }

    @Override
    public String toString() {
        return "RunCgroup (slot) " + leaf;
    }
}
