package org.sandboxrunner.core.run;

import java.util.Optional;
import java.util.OptionalLong;
import org.sandboxrunner.core.cgroup.CgroupLimits;
import org.sandboxrunner.core.cgroup.CpuQuota;
import org.sandboxrunner.core.cgroup.CpuSetList;
import org.sandboxrunner.core.cgroup.MemoryLimit;
import org.sandboxrunner.policy.CpuSpec;
import org.sandboxrunner.policy.Profile;

/** The cgroup limits of a run: the effective memory and pids limits, and the profile's cpu and I/O settings. */
final class CgroupLimitsMapper {
    /** The kernel counts memory in 4 KiB pages (MemoryLimit): limits are rounded up to a whole page. */
    private static final long PAGE = 4096;

    private CgroupLimitsMapper() {}

    static CgroupLimits of(Profile p, EffectiveLimits limits) {
        Optional<MemoryLimit> memory = Optional.empty();
        if (limits.memoryBytes().isPresent()) {
            long max = pages(limits.memoryBytes().getAsLong());
            // OCI memory.swap is memory plus swap.
            long swap = limits.swapBytes().isPresent() ? pages(limits.swapBytes().getAsLong()) - max : 0;
            memory = Optional.of(new MemoryLimit(max, Math.max(0, swap)));
        }
        Optional<CpuSpec> cpu = p.linux().resources().cpu();
        Optional<CpuQuota> quota = cpu.filter(c -> c.quota().isPresent())
                .map(c -> new CpuQuota(c.quota().getAsLong(), c.period().getAsLong()));
        return new CgroupLimits(memory, limits.pids(), quota,
                cpu.map(CpuSpec::shares).orElse(OptionalLong.empty()),
                cpu.flatMap(CpuSpec::cpus).map(CpuSetList::parse),
                cpu.flatMap(CpuSpec::mems).map(CpuSetList::parse),
                p.linux().resources().blockIoWeight());
    }

    private static long pages(long bytes) {
        return (bytes + PAGE - 1) / PAGE * PAGE;
    }
}
