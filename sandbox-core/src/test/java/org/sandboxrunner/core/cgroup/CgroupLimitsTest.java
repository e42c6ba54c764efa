package org.sandboxrunner.core.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.sandboxrunner.policy.CpuSpec;
import org.sandboxrunner.policy.ResourcesSpec;

class CgroupLimitsTest {

    private static void assertRefused(String expected, Executable executable) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, executable);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void memoryIsWholePagesAndSwapDefaultsToNone() {
        assertEquals(new MemoryLimit(64L << 20, 0), MemoryLimit.of(64L << 20));
        assertRefused("multiple of 4096", () -> MemoryLimit.of(100_000));
        assertRefused("must be positive", () -> MemoryLimit.of(0));
        assertRefused("swapMaxBytes must be between", () -> new MemoryLimit(4096, -4096));
        assertRefused("maxBytes must be between", () -> MemoryLimit.of(Long.MAX_VALUE / 4096 * 4096));
    }

    @Test
    void cpuQuotaFromCpusAndKernelBounds() {
        assertEquals(new CpuQuota(150_000, 100_000), CpuQuota.ofCpus(1.5));
        assertEquals(0.25, CpuQuota.ofCpus(0.25).cpus());
        assertRefused("positive number", () -> CpuQuota.ofCpus(0));
        assertRefused("positive number", () -> CpuQuota.ofCpus(Double.NaN));
        assertRefused("outside 1000", () -> CpuQuota.ofCpus(0.001));
        assertRefused("periodMicros must be between", () -> new CpuQuota(10_000, 999));
        assertRefused("quotaMicros must be between", () -> new CpuQuota(999, 100_000));
    }

    @Test
    void validatesEachLimitWithItsName() {
        assertRefused("pidsMax must be between 1", () -> CgroupLimits.builder().pidsMax(0).build());
        assertRefused("cpuShares must be between 2 and 262144", () -> CgroupLimits.builder().cpuShares(1).build());
        assertRefused("ioWeight must be between 10 and 1000", () -> CgroupLimits.builder().ioWeight(1001).build());
        assertRefused("cpusetCpus must name at least one", () -> CgroupLimits.builder().cpusetCpus(CpuSetList.parse("")).build());
        assertThrows(NullPointerException.class, () -> new CgroupLimits(null, OptionalLong.empty(), Optional.empty(),
                OptionalLong.empty(), Optional.empty(), Optional.empty(), OptionalLong.empty()));
    }

    @Test
    void saysWhichControllersTheLimitsNeed() {
        List<String> always = List.of("memory", "pids");
        assertEquals(always, CgroupLimits.none().controllersNeeded(always, "io"));
        assertEquals(List.of("memory", "pids", "cpu"), CgroupLimits.builder().cpuShares(512).build().controllersNeeded(always, "io"));
        assertEquals(List.of("memory", "pids", "cpu"),
                CgroupLimits.builder().cpuQuota(CpuQuota.ofCpus(1)).build().controllersNeeded(always, "io"));
        assertEquals(List.of("memory", "pids", "cpuset", "blkio"), CgroupLimits.builder()
                .cpusetMems(CpuSetList.parse("0")).ioWeight(100).build().controllersNeeded(always, "blkio"));
    }

    @Test
    void readsOciResourcesWithSwapCountedApart() {
        ResourcesSpec resources = new ResourcesSpec(OptionalLong.of(64L << 20), OptionalLong.of(96L << 20),
                OptionalLong.of(50), Optional.of(new CpuSpec(OptionalLong.of(50_000), OptionalLong.of(100_000),
                OptionalLong.of(512), Optional.of("0-1"), Optional.of("0"))), OptionalLong.of(300));
        CgroupLimits limits = CgroupLimits.fromResources(resources);
        assertEquals(Optional.of(new MemoryLimit(64L << 20, 32L << 20)), limits.memory());
        assertEquals(OptionalLong.of(50), limits.pidsMax());
        assertEquals(Optional.of(new CpuQuota(50_000, 100_000)), limits.cpuQuota());
        assertEquals(OptionalLong.of(512), limits.cpuShares());
        assertEquals(Optional.of(CpuSetList.parse("0,1")), limits.cpusetCpus());
        assertEquals(Optional.of(CpuSetList.parse("0")), limits.cpusetMems());
        assertEquals(OptionalLong.of(300), limits.ioWeight());

        CgroupLimits noSwapGiven = CgroupLimits.fromResources(new ResourcesSpec(OptionalLong.of(8L << 20),
                OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), OptionalLong.empty()));
        assertEquals(Optional.of(MemoryLimit.of(8L << 20)), noSwapGiven.memory());
        assertEquals(CgroupLimits.none(), CgroupLimits.fromResources(ResourcesSpec.unlimited()));
    }

    @Test
    void configNamesAreSinglePathComponents() {
        assertEquals("sandbox-runner", CgroupConfig.defaults().projectName());
        for (String bad : new String[] {"", "..", "a/b", ".hidden", "x".repeat(65), "cgroup procs"}) {
            assertRefused("projectName", () -> new CgroupConfig(bad, Duration.ofSeconds(1)));
        }
        assertRefused("killTimeout must be positive", () -> new CgroupConfig("judge", Duration.ZERO));
    }
}
