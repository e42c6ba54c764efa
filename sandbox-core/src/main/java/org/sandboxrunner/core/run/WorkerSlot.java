package org.sandboxrunner.core.run;

import java.util.Objects;
import java.util.Optional;
import org.sandboxrunner.core.cgroup.CgroupException;
import org.sandboxrunner.core.cgroup.SlotCgroup;

/**
 * One worker's way into a {@link Sandbox} (from {@link Sandbox#openSlot()}): runs one request at a
 * time. With {@link Sandbox#REUSE_SLOT_CGROUPS} set, each run goes into the slot's cgroup leaf, which
 * is made once and reused while the limits stay the same ({@link SlotCgroup} says what is checked
 * and reset between runs); otherwise each run gets a fresh leaf. Everything else of a run
 * (namespaces, mounts, descriptors) is made for it and gone when it returns, as with
 * {@link Sandbox#run}. Close it when the worker ends: that removes the leaf.
 */
public final class WorkerSlot implements AutoCloseable {
    private final Sandbox sandbox;
    /** Empty when leaves are not reused: each run then makes its own (or runs without, see Sandbox). */
    private final Optional<SlotCgroup> cgroup;

    WorkerSlot(Sandbox sandbox, Optional<SlotCgroup> cgroup) {
        this.sandbox = Objects.requireNonNull(sandbox, "sandbox");
        this.cgroup = Objects.requireNonNull(cgroup, "cgroup");
    }

    /** Runs one request, as {@link Sandbox#run} does; a slot runs one request at a time. */
    public synchronized RunResult run(RunRequest request) {
        return sandbox.run(request, cgroup);
    }

    /**
     * Removes the slot's leaf, killing anything in it.
     *
     * @throws IllegalStateException when the leaf cannot be removed; the message names it
     */
    @Override
    public synchronized void close() {
        if (cgroup.isPresent()) {
            try {
                cgroup.get().close();
            } catch (CgroupException e) {
                throw new IllegalStateException("cannot remove the worker slot's cgroup: " + e.getMessage(), e);
            }
        }
    }
}
