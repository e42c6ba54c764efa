package org.sandboxrunner.core.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Detection on fixture directories laid out like real hosts (src/test/resources/cgroup-fixtures:
 * proc/self/{mountinfo,cgroup,stat} and the cgroupfs files detection reads).
 */
class CgroupDetectorTest {

    static Path fixture(String name) {
        try {
            return Path.of(CgroupDetectorTest.class.getResource("/cgroup-fixtures/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CgroupSystem detect(String name) throws CgroupException {
        return CgroupDetector.detect(new HostView(fixture(name)), CgroupConfig.defaults());
    }

    private static Set<Path> parents(String name, String... relative) {
        return Set.of(relative).stream().map(r -> fixture(name).resolve(r).resolve("sandbox-runner")).collect(Collectors.toSet());
    }

    @Test
    void v1HostLikeThisOneUsesEveryControllerHierarchyBeneathTheRunner() throws CgroupException {
        CgroupSystem system = detect("v1-host");
        assertEquals(CgroupVersion.V1, system.version());
        assertEquals(parents("v1-host", "sys/fs/cgroup/pids", "sys/fs/cgroup/blkio", "sys/fs/cgroup/freezer",
                "sys/fs/cgroup/memory/process_api/6d9463d85a4024e242d88987ef7a0c0a", "sys/fs/cgroup/cpuset",
                "sys/fs/cgroup/cpuacct", "sys/fs/cgroup/cpu"), Set.copyOf(system.projectParents()));
    }

    @Test
    void hybridHostWithAnEmptyUnifiedHierarchyIsV1AndSharesCoMountedHierarchies() throws CgroupException {
        CgroupSystem system = detect("hybrid-host");
        assertEquals(CgroupVersion.V1, system.version());
        assertEquals(parents("hybrid-host", "sys/fs/cgroup/pids/user.slice/user-1000.slice/session-2.scope",
                "sys/fs/cgroup/blkio/user.slice", "sys/fs/cgroup/memory/user.slice/user-1000.slice/session-2.scope",
                "sys/fs/cgroup/freezer", "sys/fs/cgroup/cpuset", "sys/fs/cgroup/cpu,cpuacct/user.slice"),
                Set.copyOf(system.projectParents()));
        assertEquals(6, system.projectParents().size(), "cpu and cpuacct share one hierarchy");
    }

    @Test
    void v1ContainerSeesItsSubtreeAsTheMountRoot() throws CgroupException {
        CgroupSystem system = detect("v1-container");
        assertEquals(CgroupVersion.V1, system.version());
        assertEquals(parents("v1-container", "sys/fs/cgroup/cpu,cpuacct/judge", "sys/fs/cgroup/memory/judge",
                "sys/fs/cgroup/pids/judge", "sys/fs/cgroup/freezer/judge"), Set.copyOf(system.projectParents()));
    }

    @Test
    void pureV2HostPutsTheProjectParentNextToTheRunnersCgroup() throws CgroupException {
        CgroupSystem system = detect("v2-host");
        assertEquals(CgroupVersion.V2, system.version());
        assertEquals(List.of(fixture("v2-host").resolve("sys/fs/cgroup/user.slice/user-0.slice/sandbox-runner")),
                system.projectParents());
    }

    @Test
    void v2RunnerInADelegatedSubgroupGetsItsParentInTheDelegatedService() throws CgroupException {
        CgroupSystem system = detect("v2-nested");
        assertEquals(CgroupVersion.V2, system.version());
        assertEquals(List.of(fixture("v2-nested").resolve("sys/fs/cgroup/system.slice/judge.service/sandbox-runner")),
                system.projectParents());
    }

    @Test
    void v2RunnerInTheRootCgroupUsesTheRoot() throws CgroupException {
        CgroupSystem system = detect("v2-root");
        assertEquals(List.of(fixture("v2-root").resolve("sys/fs/cgroup/sandbox-runner")), system.projectParents());
    }

    @Test
    void v2NamespaceRootHoldingTheRunnerIsRefusedWithTheRule() {
        CgroupException e = assertThrows(CgroupException.class, () -> detect("v2-namespace-root"));
        assertTrue(e.getMessage().contains("no-internal-processes rule"), e.getMessage());
        assertTrue(e.getMessage().contains("start the runner in a child cgroup"), e.getMessage());
    }

    @Test
    void missingControllerIsNamed() {
        CgroupException e = assertThrows(CgroupException.class, () -> detect("v2-without-memory"));
        assertEquals("no usable cgroup hierarchy for controller memory: it is not mounted as a cgroup v1 hierarchy,"
                + " and cgroup v2 does not offer it at " + fixture("v2-without-memory").resolve("sys/fs/cgroup/user.slice/user-0.slice")
                + " (cgroup.controllers: 'cpu pids'); cgroup v2 needs memory and pids", e.getMessage());
    }

    @Test
    void projectNameIsConfigurable() throws CgroupException {
        CgroupSystem system = CgroupDetector.detect(new HostView(fixture("v2-nested")),
                new CgroupConfig("judge-runs", CgroupConfig.DEFAULT_KILL_TIMEOUT));
        assertEquals(List.of(fixture("v2-nested").resolve("sys/fs/cgroup/system.slice/judge.service/judge-runs")),
                system.projectParents());
    }

    @Test
    void v1UsageFiguresAndTheirFiles() throws CgroupException {
        Path leaf = fixture("v1-leaf");
        V1RunCgroup run = new V1RunCgroup(LeafName.parse("run-1-2-3").orElseThrow(),
                java.util.Map.of("memory", leaf, "pids", leaf, "cpuacct", leaf), CgroupConfig.DEFAULT_KILL_TIMEOUT);
        CgroupUsage usage = run.usage();
        assertEquals(1_234_567_890L, usage.cpuTimeNanos());
        assertEquals(OptionalLong.of(52_428_800), usage.memoryPeakBytes());
        assertEquals(17 + 3, usage.memoryLimitHits(), "memory.failcnt plus memory.memsw.failcnt");
        assertEquals(2, usage.oomKills());
        assertEquals(3, usage.pidsCurrent());
        assertEquals(OptionalLong.empty(), usage.pidsPeak());
        assertEquals(List.of(leaf.resolve("pids.peak") + " does not exist (added in Linux 6.1): no peak task count"),
                usage.unavailable());
        assertEquals(new CpuUsageFile(leaf.resolve("cpuacct.usage"), CpuUsageFile.Format.NANOSECONDS), run.cpuUsageFile());
    }

    @Test
    void v2UsageWithoutMemoryPeakSaysSo() throws CgroupException {
        Path leaf = fixture("v2-leaf-5.15");
        V2RunCgroup run = new V2RunCgroup(LeafName.parse("run-1-2-3").orElseThrow(), leaf, CgroupConfig.DEFAULT_KILL_TIMEOUT);
        CgroupUsage usage = run.usage();
        assertEquals(1_234_567_000L, usage.cpuTimeNanos());
        assertEquals(OptionalLong.empty(), usage.memoryPeakBytes());
        assertEquals(9, usage.memoryLimitHits());
        assertEquals(1, usage.oomKills());
        assertEquals(0, usage.pidsCurrent());
        assertEquals(List.of(
                leaf.resolve("memory.peak") + " does not exist (added in Linux 5.19): no cgroup memory peak; use the"
                        + " rusage maximum RSS instead",
                leaf.resolve("pids.peak") + " does not exist (added in Linux 6.1): no peak task count"), usage.unavailable());
        assertEquals(new CpuUsageFile(leaf.resolve("cpu.stat"), CpuUsageFile.Format.CPU_STAT), run.cpuUsageFile());
    }
}
