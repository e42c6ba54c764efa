package org.sandboxrunner.core.cgroup;

import java.util.Objects;
import java.util.Optional;

/**
 * A worker slot's cgroup: one leaf (named {@code slot-PID-STARTTIME-SEQ}) made at the slot's first
 * run and reused by the runs after it, which saves making, limiting and removing a leaf per run.
 * Get one from {@link CgroupSystem#openSlot()}; one run at a time.
 *
 * <p>Before a reused leaf takes a run it must be empty (no process in it) and its figures are
 * reset: v1 reclaims the last run's page cache (when more than {@link #RECLAIM_ABOVE_BYTES} is left
 * charged) and resets the memory peak, the limit-hit counters and the CPU time; v2 reclaims, resets {@code memory.peak} (Linux 6.12 and later) and keeps the
 * counters that never reset ({@code cpu.stat}, {@code memory.events}) as a baseline the run's
 * figures are counted from. A leaf that is not empty or whose reset fails is removed and replaced
 * (fail closed); on a kernel that cannot reset the memory peak every run gets a fresh leaf. When a
 * run asks for other limits than the leaf has, the leaf is replaced too: a fresh leaf starts with
 * the kernel's defaults for every limit the new run leaves unset, which rewriting only the set
 * ones would not give.
 *
 * <p>Closing removes the leaf; closing twice is harmless.
 */
public final class SlotCgroup implements AutoCloseable {
    static final String LABEL = "slot";
    /**
     * What the last run may leave charged to the leaf (kernel objects, a little page cache) without
     * a reclaim before the next run: the next run's memory peak starts from it. Reclaiming costs
     * more than reusing the leaf saves (v1 force_empty waits on every CPU), so only a run that read
     * or wrote more than this pays for it.
     */
    static final long RECLAIM_ABOVE_BYTES = 1L << 20;

    private final ProjectCgroups system;
    private LeafCgroup leaf;
    private CgroupLimits leafLimits;
    /** False once the kernel has shown it cannot reset the memory peak: a fresh leaf per run then. */
    private boolean reusable = true;
    private SlotRun current;
    private boolean closed;

    SlotCgroup(ProjectCgroups system) {
        this.system = Objects.requireNonNull(system, "system");
    }

    /**
     * The cgroup for the slot's next run, with these limits written and read back. Closing the
     * returned cgroup kills what is left in it and hands the leaf back to the slot.
     *
     * @throws IllegalStateException when the slot is closed or its last run's cgroup is not closed yet
     */
    public synchronized RunCgroup lease(CgroupLimits limits) throws CgroupException {
        Objects.requireNonNull(limits, "limits");
        if (closed) {
            throw new IllegalStateException("the worker slot's cgroup is closed");
        }
        if (current != null && !current.isReturned()) {
            throw new IllegalStateException("the worker slot's cgroup " + current.name() + " still holds a run");
        }
        current = null;
        Optional<CgroupUsage> baseline = Optional.empty();
        if (leaf != null && reusable && limits.equals(leafLimits)) {
            baseline = readyForReuse();
        }
        if (baseline.isEmpty()) {
            discard();
            leaf = system.createLeafCgroup(LABEL, limits);
            leafLimits = limits;
        }
        current = new SlotRun(leaf, baseline);
        return current;
    }

    /**
     * Checks that the leaf is empty and resets its figures; empty when it cannot be reused (then
     * it is removed by the caller). A reset that fails half-way leaves figures that cannot be
     * trusted, so the leaf is not reused.
     */
    private Optional<CgroupUsage> readyForReuse() {
        try {
            if (leaf.populated()) {
                return Optional.empty();
            }
            Optional<CgroupUsage> baseline = leaf.resetForReuse();
            if (baseline.isEmpty()) {
                reusable = false;
            }
            return baseline;
        } catch (CgroupException e) {
            return Optional.empty();
        }
    }

    /** Kills what is in the leaf and removes it; the exception says why it could not be. */
    private void discard() throws CgroupException {
        if (leaf != null) {
            LeafCgroup old = leaf;
            old.close();
            leaf = null;
            leafLimits = null;
        }
    }

    /** Whether the next run with the same limits would reuse the leaf: for tests and reports. */
    synchronized boolean reusesLeaves() {
        return reusable;
    }

    @Override
    public synchronized void close() throws CgroupException {
        if (closed) {
            return;
        }
        discard();
        closed = true;
    }

    @Override
    public String toString() {
        return "SlotCgroup " + (leaf == null ? "(no leaf)" : leaf.name());
    }
}
