package org.sandboxrunner.core.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * cgroup v2: the project parent is made in the base cgroup (the root cgroup when the runner is in
 * it, otherwise the runner's parent cgroup, so the project parent sits next to the runner's own
 * cgroup); controllers are enabled in the base's and the project parent's
 * {@code cgroup.subtree_control}; each run gets one leaf. Nothing is ever moved: see
 * {@link CgroupDetector} and docs/grading.md for why this placement satisfies the
 * no-internal-processes rule.
 */
final class V2CgroupSystem extends ProjectCgroups {
    private final Path base;

    V2CgroupSystem(Path base, CgroupConfig config, HostView host, ProcessIdentity self) {
        super(config, host, self);
        this.base = Objects.requireNonNull(base, "base");
    }

    @Override
    public CgroupVersion version() {
        return CgroupVersion.V2;
    }

    @Override
    public List<Path> projectParents() {
        return List.of(base.resolve(config.projectName()));
    }

    @Override
    LeafCgroup createLeaf(LeafName name, CgroupLimits limits, List<Path> made) throws CgroupException {
        List<String> controllers = limits.controllersNeeded(CgroupDetector.V2_BASELINE, "io");
        Set<String> offered = CgroupFiles.words(CgroupFiles.read(base.resolve("cgroup.controllers")));
        for (String controller : controllers) {
            if (!offered.contains(controller)) {
                throw new CgroupException("no usable cgroup hierarchy for controller " + controller + ": " + base
                        + " does not offer it (cgroup.controllers: '" + String.join(" ", offered) + "'); the cgroup"
                        + " above must enable it (systemd: Delegate= naming it)");
            }
        }
        Path parent = projectParents().get(0);
        CgroupFiles.mkdirShared(parent);
        enable(base, controllers);
        enable(parent, controllers);
        Path leaf = parent.resolve(name.toString());
        CgroupFiles.mkdir(leaf);
        made.add(leaf);
        writeLimits(leaf, limits);
        return new V2RunCgroup(name, leaf, config.killTimeout());
    }

    @Override
    LeafCgroup open(LeafName name, List<Path> dirs) {
        return new V2RunCgroup(name, dirs.get(0), config.killTimeout());
    }

    /** Enables controllers for a cgroup's children, writing only those not yet enabled. */
    private static void enable(Path dir, List<String> controllers) throws CgroupException {
        Path control = dir.resolve("cgroup.subtree_control");
        Set<String> enabled = CgroupFiles.words(CgroupFiles.read(control));
        List<String> missing = controllers.stream().filter(c -> !enabled.contains(c)).toList();
        if (missing.isEmpty()) {
            return;
        }
        String request = missing.stream().map(c -> "+" + c).collect(Collectors.joining(" "));
        try {
            CgroupFiles.write(control, request);
        } catch (CgroupException e) {
            throw new CgroupException(e.getMessage() + " (a cgroup other than the root may enable controllers for"
                    + " its children only while it holds no processes itself, and only those its own"
                    + " cgroup.controllers offers)", e);
        }
        Set<String> now = CgroupFiles.words(CgroupFiles.read(control));
        if (!now.containsAll(missing)) {
            throw new CgroupException("read back " + control + ": wrote '" + request + "', the kernel reports '"
                    + String.join(" ", now) + "'");
        }
    }

    private void writeLimits(Path leaf, CgroupLimits limits) throws CgroupException {
        if (limits.memory().isPresent()) {
            MemoryLimit memory = limits.memory().get();
            CgroupFiles.writeVerified(leaf.resolve("memory.max"), Long.toString(memory.maxBytes()),
                    CgroupFiles.ReadBack.EXACT);
            Path swap = leaf.resolve("memory.swap.max");
            if (Files.exists(swap)) {
                CgroupFiles.writeVerified(swap, Long.toString(memory.swapMaxBytes()), CgroupFiles.ReadBack.EXACT);
            } else {
                HostSwap.requireNoSwapWithout(host, swap);
            }
        }
        if (limits.pidsMax().isPresent()) {
            CgroupFiles.writeVerified(leaf.resolve("pids.max"), Long.toString(limits.pidsMax().getAsLong()),
                    CgroupFiles.ReadBack.EXACT);
        }
        if (limits.cpuQuota().isPresent()) {
            CpuQuota quota = limits.cpuQuota().get();
            CgroupFiles.writeVerified(leaf.resolve("cpu.max"), quota.quotaMicros() + " " + quota.periodMicros(),
                    CgroupFiles.ReadBack.EXACT);
        }
        if (limits.cpuShares().isPresent()) {
            CgroupFiles.writeVerified(leaf.resolve("cpu.weight"),
                    Long.toString(CgroupWeights.cpuWeightFromShares(limits.cpuShares().getAsLong())),
                    CgroupFiles.ReadBack.EXACT);
        }
        // Unlike v1, an empty v2 cpuset means "the parent's", so only given values are written.
        if (limits.cpusetCpus().isPresent()) {
            CgroupFiles.writeVerified(leaf.resolve("cpuset.cpus"), limits.cpusetCpus().get().format(),
                    CgroupFiles.ReadBack.CPU_LIST);
        }
        if (limits.cpusetMems().isPresent()) {
            CgroupFiles.writeVerified(leaf.resolve("cpuset.mems"), limits.cpusetMems().get().format(),
                    CgroupFiles.ReadBack.CPU_LIST);
        }
        if (limits.ioWeight().isPresent()) {
            long weight = limits.ioWeight().getAsLong();
            // io.bfq.weight takes the OCI scale as it is; io.weight (iocost) wants 1..10000.
            Path bfq = leaf.resolve("io.bfq.weight");
            Path iocost = leaf.resolve("io.weight");
            if (Files.exists(bfq)) {
                CgroupFiles.writeVerified(bfq, Long.toString(weight), CgroupFiles.ReadBack.DEFAULT_WEIGHT);
            } else if (Files.exists(iocost)) {
                CgroupFiles.writeVerified(iocost, Long.toString(CgroupWeights.ioWeightFromOci(weight)),
                        CgroupFiles.ReadBack.DEFAULT_WEIGHT);
            } else {
                throw new CgroupException("cannot set the block I/O weight: " + leaf + " has neither io.bfq.weight"
                        + " nor io.weight (no I/O scheduler or controller with weights is available)");
            }
        }
    }
}
