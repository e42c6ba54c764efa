package org.sandboxrunner.core.cgroup;

import java.nio.file.Path;
import java.util.List;

/**
 * This host's cgroup hierarchy as the runner uses it: where the project parent lives and how a
 * run's leaf is made. Get one from {@link Cgroups#detect()}.
 */
public sealed interface CgroupSystem permits ProjectCgroups {

    CgroupVersion version();

    /**
     * The project parent cgroup(s) leaves are made in: on v1 one per hierarchy, beneath the cgroup
     * this runner is in; on v2 one, next to this runner's cgroup (docs/grading.md says why).
     */
    List<Path> projectParents();

    /**
     * Creates a leaf named {@code LABEL-PID-STARTTIME-SEQ} for this runner and writes the limits,
     * each read back. On any failure nothing of the leaf remains and the exception names the file
     * and the kernel's error.
     *
     * @param label "run" for a one-shot run; a lower-case letter then up to 15 letters or digits
     */
    RunCgroup create(String label, CgroupLimits limits) throws CgroupException;

    /**
     * A worker slot's cgroup: one leaf reused run after run while its limits stay the same. Makes
     * nothing until the slot's first {@link SlotCgroup#lease}.
     */
    SlotCgroup openSlot();

    /**
     * Removes the leaves left by runners that are gone (their named pid no longer runs with that
     * start time), killing what still runs in them. Leaves of live runners and directories with
     * names this runner does not make are never touched.
     *
     * @return the names of the leaves removed
     */
    List<String> removeStale() throws CgroupException;
}
