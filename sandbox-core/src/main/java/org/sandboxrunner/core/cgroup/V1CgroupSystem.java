package org.sandboxrunner.core.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * cgroup v1: the project parent is made beneath this runner's own cgroup in every hierarchy it
 * uses, and a run's leaf in each. v1 has no rule against processes in inner cgroups, so nothing
 * has to move.
 */
final class V1CgroupSystem extends ProjectCgroups {
    private final List<V1Hierarchy> hierarchies;

    V1CgroupSystem(List<V1Hierarchy> hierarchies, CgroupConfig config, HostView host, ProcessIdentity self) {
        super(config, host, self);
        this.hierarchies = List.copyOf(hierarchies);
    }

    @Override
    public CgroupVersion version() {
        return CgroupVersion.V1;
    }

    @Override
    public List<Path> projectParents() {
        return hierarchies.stream().map(h -> h.projectParent(config.projectName())).toList();
    }

    @Override
    LeafCgroup createLeaf(LeafName name, CgroupLimits limits, List<Path> made) throws CgroupException {
        Map<String, Path> byController = new LinkedHashMap<>();
        for (V1Hierarchy hierarchy : hierarchiesFor(limits)) {
            Path parent = ensureProjectParent(hierarchy);
            Path leaf = parent.resolve(name.toString());
            CgroupFiles.mkdir(leaf);
            made.add(leaf);
            for (String controller : hierarchy.controllers()) {
                byController.put(controller, leaf);
            }
            if (hierarchy.controllers().contains("cpuset")) {
                writeCpuset(leaf, parent, limits);
            }
        }
        writeLimits(byController, limits);
        return new V1RunCgroup(name, byController, config.killTimeout());
    }

    @Override
    LeafCgroup open(LeafName name, List<Path> dirs) {
        Map<String, Path> byController = new LinkedHashMap<>();
        for (Path dir : dirs) {
            for (V1Hierarchy hierarchy : hierarchies) {
                if (dir.getParent().equals(hierarchy.projectParent(config.projectName()))) {
                    hierarchy.controllers().forEach(controller -> byController.put(controller, dir));
                }
            }
        }
        return new V1RunCgroup(name, byController, config.killTimeout());
    }

    /** The distinct hierarchies carrying the controllers these limits need, memory's first. */
    private List<V1Hierarchy> hierarchiesFor(CgroupLimits limits) throws CgroupException {
        Set<V1Hierarchy> chosen = new LinkedHashSet<>();
        for (String controller : limits.controllersNeeded(CgroupDetector.V1_BASELINE, "blkio")) {
            chosen.add(hierarchies.stream().filter(h -> h.controllers().contains(controller)).findFirst()
                    .orElseThrow(() -> new CgroupException("no usable cgroup hierarchy for controller " + controller
                            + ": it is not mounted as a cgroup v1 hierarchy on this host")));
        }
        return new ArrayList<>(chosen);
    }

    private Path ensureProjectParent(V1Hierarchy hierarchy) throws CgroupException {
        Path parent = hierarchy.projectParent(config.projectName());
        CgroupFiles.mkdirShared(parent);
        if (hierarchy.controllers().contains("cpuset")) {
            // A new v1 cpuset starts with no cpus and no mems, and admits no task until both are
            // set (cgroup-v1/cpusets.rst); the project parent takes its parent's.
            for (String file : List.of("cpuset.cpus", "cpuset.mems")) {
                if (CgroupFiles.read(parent.resolve(file)).isBlank()) {
                    CgroupFiles.writeVerified(parent.resolve(file),
                            CgroupFiles.read(hierarchy.runnerDir().resolve(file)).strip(), CgroupFiles.ReadBack.CPU_LIST);
                }
            }
        }
        return parent;
    }

    /** The leaf's cpus and mems: the limit's, or the project parent's (v1 never inherits them). */
    private static void writeCpuset(Path leaf, Path parent, CgroupLimits limits) throws CgroupException {
        String cpus = limits.cpusetCpus().isPresent() ? limits.cpusetCpus().get().format()
                : CgroupFiles.read(parent.resolve("cpuset.cpus")).strip();
        String mems = limits.cpusetMems().isPresent() ? limits.cpusetMems().get().format()
                : CgroupFiles.read(parent.resolve("cpuset.mems")).strip();
        CgroupFiles.writeVerified(leaf.resolve("cpuset.cpus"), cpus, CgroupFiles.ReadBack.CPU_LIST);
        CgroupFiles.writeVerified(leaf.resolve("cpuset.mems"), mems, CgroupFiles.ReadBack.CPU_LIST);
    }

    private void writeLimits(Map<String, Path> byController, CgroupLimits limits) throws CgroupException {
        if (limits.memory().isPresent()) {
            MemoryLimit memory = limits.memory().get();
            Path dir = byController.get("memory");
            // memsw (memory plus swap) may never be below limit_in_bytes, so the limit goes first.
            CgroupFiles.writeVerified(dir.resolve("memory.limit_in_bytes"), Long.toString(memory.maxBytes()),
                    CgroupFiles.ReadBack.EXACT);
            Path memsw = dir.resolve("memory.memsw.limit_in_bytes");
            if (Files.exists(memsw)) {
                CgroupFiles.writeVerified(memsw, Long.toString(memory.maxBytes() + memory.swapMaxBytes()),
                        CgroupFiles.ReadBack.EXACT);
            } else {
                HostSwap.requireNoSwapWithout(host, memsw);
            }
        }
        if (limits.pidsMax().isPresent()) {
            CgroupFiles.writeVerified(byController.get("pids").resolve("pids.max"),
                    Long.toString(limits.pidsMax().getAsLong()), CgroupFiles.ReadBack.EXACT);
        }
        if (limits.cpuQuota().isPresent()) {
            CpuQuota quota = limits.cpuQuota().get();
            Path dir = byController.get("cpu");
            CgroupFiles.writeVerified(dir.resolve("cpu.cfs_period_us"), Long.toString(quota.periodMicros()),
                    CgroupFiles.ReadBack.EXACT);
            CgroupFiles.writeVerified(dir.resolve("cpu.cfs_quota_us"), Long.toString(quota.quotaMicros()),
                    CgroupFiles.ReadBack.EXACT);
        }
        if (limits.cpuShares().isPresent()) {
            CgroupFiles.writeVerified(byController.get("cpu").resolve("cpu.shares"),
                    Long.toString(limits.cpuShares().getAsLong()), CgroupFiles.ReadBack.EXACT);
        }
        if (limits.ioWeight().isPresent()) {
            // blkio.weight belonged to CFQ (gone in Linux 5.0); BFQ offers the same scale.
            Path dir = byController.get("blkio");
            Path file = Files.exists(dir.resolve("blkio.weight")) ? dir.resolve("blkio.weight")
                    : dir.resolve("blkio.bfq.weight");
            if (!Files.exists(file)) {
                throw new CgroupException("cannot set the block I/O weight: " + dir + " has neither blkio.weight"
                        + " nor blkio.bfq.weight (no I/O scheduler with weights is available)");
            }
            CgroupFiles.writeVerified(file, Long.toString(limits.ioWeight().getAsLong()),
                    CgroupFiles.ReadBack.DEFAULT_WEIGHT);
        }
    }
}
