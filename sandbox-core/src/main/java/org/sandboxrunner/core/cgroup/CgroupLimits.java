package org.sandboxrunner.core.cgroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.sandboxrunner.policy.CpuSpec;
import org.sandboxrunner.policy.ResourcesSpec;

/**
 * The limits written into a run's cgroup before the child is placed in it. Every limit is optional;
 * an absent one is left at the kernel's default (unlimited). Memory and pids accounting is always
 * on, whether limited or not, so that usage figures exist for every run.
 *
 * @param memory     memory and swap ({@link MemoryLimit}); without it swap is not limited either
 * @param pidsMax    processes and threads alive at once ({@code pids.max}), 1..{@value #MAX_PIDS}
 * @param cpuQuota   CFS bandwidth ({@link CpuQuota})
 * @param cpuShares  relative CPU weight on the OCI/v1 scale 2..262144 (default 1024); v2 gets the
 *                   {@code cpu.weight} that runc 1.3.2 and crun 1.23 derive from it
 * @param cpusetCpus CPUs the run may use (v1: copied from the parent when absent, as v1 requires)
 * @param cpusetMems memory nodes the run may use (same rule)
 * @param ioWeight   relative block I/O weight on the OCI {@code blockIO.weight} scale 10..1000
 */
public record CgroupLimits(
        Optional<MemoryLimit> memory,
        OptionalLong pidsMax,
        Optional<CpuQuota> cpuQuota,
        OptionalLong cpuShares,
        Optional<CpuSetList> cpusetCpus,
        Optional<CpuSetList> cpusetMems,
        OptionalLong ioWeight) {

    /** PID_MAX_LIMIT on 64-bit kernels (include/linux/threads.h): pids.max takes nothing larger. */
    public static final long MAX_PIDS = 4L * 1024 * 1024;
    /** MIN_SHARES and MAX_SHARES of kernel/sched/sched.h. */
    public static final long MIN_CPU_SHARES = 2;
    public static final long MAX_CPU_SHARES = 262_144;
    /** The OCI runtime spec's blockIO.weight range (the v1 blkio weight). */
    public static final long MIN_IO_WEIGHT = 10;
    public static final long MAX_IO_WEIGHT = 1000;

    public CgroupLimits {
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(pidsMax, "pidsMax");
        Objects.requireNonNull(cpuQuota, "cpuQuota");
        Objects.requireNonNull(cpuShares, "cpuShares");
        Objects.requireNonNull(cpusetCpus, "cpusetCpus");
        Objects.requireNonNull(cpusetMems, "cpusetMems");
        Objects.requireNonNull(ioWeight, "ioWeight");
        pidsMax.ifPresent(v -> requireRange(v, 1, MAX_PIDS, "pidsMax"));
        cpuShares.ifPresent(v -> requireRange(v, MIN_CPU_SHARES, MAX_CPU_SHARES, "cpuShares"));
        ioWeight.ifPresent(v -> requireRange(v, MIN_IO_WEIGHT, MAX_IO_WEIGHT, "ioWeight"));
        cpusetCpus.ifPresent(v -> requireNonEmpty(v, "cpusetCpus"));
        cpusetMems.ifPresent(v -> requireNonEmpty(v, "cpusetMems"));
    }

    /** No limits: accounting only. */
    public static CgroupLimits none() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The limits an OCI {@code linux.resources} section asks for. OCI's {@code memory.swap} is memory
     * plus swap (the v1 memsw meaning); here swap is counted on its own, as v2 does.
     */
    public static CgroupLimits fromResources(ResourcesSpec resources) {
        Objects.requireNonNull(resources, "resources");
        Builder builder = builder();
        resources.memoryLimitBytes().ifPresent(limit -> builder.memory(new MemoryLimit(limit,
                resources.memorySwapBytes().isPresent() ? resources.memorySwapBytes().getAsLong() - limit : 0)));
        resources.pidsLimit().ifPresent(builder::pidsMax);
        resources.blockIoWeight().ifPresent(builder::ioWeight);
        resources.cpu().ifPresent(cpu -> applyCpu(cpu, builder));
        return builder.build();
    }

    private static void applyCpu(CpuSpec cpu, Builder builder) {
        if (cpu.quota().isPresent()) {
            builder.cpuQuota(new CpuQuota(cpu.quota().getAsLong(), cpu.period().getAsLong()));
        }
        cpu.shares().ifPresent(builder::cpuShares);
        cpu.cpus().ifPresent(list -> builder.cpusetCpus(CpuSetList.parse(list)));
        cpu.mems().ifPresent(list -> builder.cpusetMems(CpuSetList.parse(list)));
    }

    /**
     * The controllers a run with these limits needs: {@code always}, then cpu, cpuset and the block
     * I/O controller (v1 "blkio", v2 "io") when a limit uses them.
     */
    List<String> controllersNeeded(List<String> always, String blockIoController) {
        List<String> controllers = new ArrayList<>(always);
        if (cpuQuota.isPresent() || cpuShares.isPresent()) {
            controllers.add("cpu");
        }
        if (cpusetCpus.isPresent() || cpusetMems.isPresent()) {
            controllers.add("cpuset");
        }
        if (ioWeight.isPresent()) {
            controllers.add(blockIoController);
        }
        return controllers;
    }

    private static void requireRange(long value, long min, long max, String what) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("cgroup " + what + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    private static void requireNonEmpty(CpuSetList list, String what) {
        if (list.isEmpty()) {
            throw new IllegalArgumentException("cgroup " + what + " must name at least one id (an empty cpuset admits no process)");
        }
    }

    /** Collects optional limits; {@link #build()} validates them together. */
    public static final class Builder {
        private Optional<MemoryLimit> memory = Optional.empty();
        private OptionalLong pidsMax = OptionalLong.empty();
        private Optional<CpuQuota> cpuQuota = Optional.empty();
        private OptionalLong cpuShares = OptionalLong.empty();
        private Optional<CpuSetList> cpusetCpus = Optional.empty();
        private Optional<CpuSetList> cpusetMems = Optional.empty();
        private OptionalLong ioWeight = OptionalLong.empty();

        private Builder() {}

        public Builder memory(MemoryLimit value) {
            memory = Optional.of(value);
            return this;
        }

        public Builder pidsMax(long value) {
            pidsMax = OptionalLong.of(value);
            return this;
        }

        public Builder cpuQuota(CpuQuota value) {
            cpuQuota = Optional.of(value);
            return this;
        }

        public Builder cpuShares(long value) {
            cpuShares = OptionalLong.of(value);
            return this;
        }

        public Builder cpusetCpus(CpuSetList value) {
            cpusetCpus = Optional.of(value);
            return this;
        }

        public Builder cpusetMems(CpuSetList value) {
            cpusetMems = Optional.of(value);
            return this;
        }

        public Builder ioWeight(long value) {
            ioWeight = OptionalLong.of(value);
            return this;
        }

        public CgroupLimits build() {
            return new CgroupLimits(memory, pidsMax, cpuQuota, cpuShares, cpusetCpus, cpusetMems, ioWeight);
        }
    }
}
