package org.sandboxrunner.core.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.sandboxrunner.policy.NamespaceType;

/** The gate's comparison on its own: each field that differs is named, and nothing else. */
class StateComparisonTest {
    private static final Map<String, Long> RUNNER = Map.of("user", 1L, "pid", 2L, "mnt", 3L, "ipc", 4L, "uts", 5L,
            "net", 6L, "cgroup", 7L);
    private static final StateComparison GATE = new StateComparison(RUNNER);

    private static final LaunchPlan PLAN = new LaunchPlan(EnumSet.of(NamespaceType.USER, NamespaceType.PID,
            NamespaceType.MOUNT, NamespaceType.UTS), "0 100000 65536\n", "0 100000 1\n1 100001 9\n", false,
            List.of(Path.of("/sys/fs/cgroup/memory/sandbox-runner/run-1-2-3/cgroup.procs")), Path.of("/run/x"),
            List.of(MountOp.bind("/usr", "/usr", Set.of(MountOp.Flag.RDONLY, MountOp.Flag.NOSUID)),
                    MountOp.bind("/opt", "/opt", Set.of(MountOp.Flag.RDONLY, MountOp.Flag.OPTIONAL)),
                    MountOp.of(MountOp.Kind.PROC, "/proc"),
                    MountOp.tmpfs("/tmp", "size=1m", Set.of(MountOp.Flag.NOSUID, MountOp.Flag.NODEV))),
            Optional.of("box"), List.of(new Rlimit("RLIMIT_NOFILE", 64, Rlimit.INFINITY)), 0, 0, 1000, 1000, 022,
            List.of(20L, 10L), new CapabilityPlan(1, 0, 0, 0, 0, 0, 40), Optional.empty(), 0, List.of("/bin/true"),
            List.of(), "/", OptionalLong.empty(), Optional.empty(), OptionalLong.empty(), false, Optional.empty());

    /** What the kernel holds when it honoured {@link #PLAN}: gid extents in another order, groups sorted, /opt absent. */
    private static final ObservedState EQUAL = new ObservedState(1, 0, 0, 0, 0, 0, List.of(1000L, 1000L, 1000L),
            List.of(1000L, 1000L, 1000L), List.of(10L, 20L), true, Map.of("RLIMIT_NOFILE", List.of(64L, -1L)),
            Map.of("user", 11L, "pid", 12L, "mnt", 13L, "ipc", 4L, "uts", 15L, "net", 6L, "cgroup", 7L),
            List.of(List.of(0L, 100000L, 65536L)), List.of(List.of(1L, 100001L, 9L), List.of(0L, 100000L, 1L)), "allow", "box",
            List.of(row("/", "tmpfs", "ro,nosuid,nodev"), row("/usr", "ext4", "ro,nosuid,nodev,relatime"),
                    row("/proc", "proc", "rw,nosuid,nodev,noexec"), row("/tmp", "tmpfs", "rw,nosuid,nodev")),
            List.of("4:memory:/sandbox-runner/run-1-2-3", "3:cpuset:/"), Optional.empty());

    @Test
    void aStateThatHonoursThePlanHasNoDifferences() {
        assertEquals(List.of(), GATE.compare(PLAN, EQUAL));
    }

    @Test
    void eachNewFieldIsNamedWhenItDiffers() {
        assertDiffers("uid_map", s -> with(s, List.of(List.of(0L, 100000L, 1L)), s.gidMap(), s.setgroups(), s.hostname(), s.mounts(), s.cgroups()));
        assertDiffers("gid_map", s -> with(s, s.uidMap(), List.of(List.of(0L, 100000L, 1L)), s.setgroups(), s.hostname(), s.mounts(), s.cgroups()));
        assertDiffers("setgroups", s -> with(s, s.uidMap(), s.gidMap(), "deny", s.hostname(), s.mounts(), s.cgroups()));
        assertDiffers("hostname", s -> with(s, s.uidMap(), s.gidMap(), s.setgroups(), "host", s.mounts(), s.cgroups()));
        assertDiffers("mount /tmp", s -> with(s, s.uidMap(), s.gidMap(), s.setgroups(), s.hostname(),
                List.of(s.mounts().get(0), s.mounts().get(1), s.mounts().get(2), row("/tmp", "tmpfs", "rw,nosuid")), s.cgroups()));
        assertDiffers("mount /proc", s -> with(s, s.uidMap(), s.gidMap(), s.setgroups(), s.hostname(),
                List.of(s.mounts().get(0), s.mounts().get(1), s.mounts().get(3)), s.cgroups()));
        assertDiffers("mount /", s -> with(s, s.uidMap(), s.gidMap(), s.setgroups(), s.hostname(),
                List.of(row("/", "tmpfs", "rw,nosuid,nodev"), s.mounts().get(1), s.mounts().get(2), s.mounts().get(3)), s.cgroups()));
        assertDiffers("cgroup /sys/fs/cgroup/memory/sandbox-runner/run-1-2-3", s -> with(s, s.uidMap(), s.gidMap(),
                s.setgroups(), s.hostname(), s.mounts(), List.of("4:memory:/", "3:cpuset:/")));
    }

    @Test
    void aNamespaceIsNewExactlyWhenThePlanAsksForIt() {
        ObservedState sharedPid = new ObservedState(1, 0, 0, 0, 0, 0, EQUAL.uids(), EQUAL.gids(), EQUAL.groups(), true,
                EQUAL.rlimits(), Map.of("user", 11L, "pid", 2L, "mnt", 13L, "ipc", 14L, "uts", 15L, "net", 6L, "cgroup", 7L),
                EQUAL.uidMap(), EQUAL.gidMap(), "allow", "box", EQUAL.mounts(), EQUAL.cgroups(), Optional.empty());
        assertEquals(List.of("namespace pid", "namespace ipc"), fields(GATE.compare(PLAN, sharedPid)));
    }

    @Test
    void unlimitedIsSpelledOut() {
        ObservedState lower = new ObservedState(1, 0, 0, 0, 0, 0, EQUAL.uids(), EQUAL.gids(), EQUAL.groups(), true,
                Map.of("RLIMIT_NOFILE", List.of(64L, 64L)), EQUAL.namespaceInodes(), EQUAL.uidMap(), EQUAL.gidMap(), "allow",
                "box", EQUAL.mounts(), EQUAL.cgroups(), Optional.empty());
        assertEquals(List.of(new StateDifference("RLIMIT_NOFILE", "64 unlimited", "64 64")), GATE.compare(PLAN, lower));
    }

    @Test
    void theMountPointsEscapesAreDecoded() {
        assertEquals("/a b\\c", MountRow.parse("/a\\040b\\134c", "rw", "tmpfs").mountPoint());
    }

    private static void assertDiffers(String field, UnaryOperator<ObservedState> change) {
        assertEquals(List.of(field), fields(GATE.compare(PLAN, change.apply(EQUAL))));
    }

    private static List<String> fields(List<StateDifference> d) {
        return d.stream().map(StateDifference::field).toList();
    }

    private static ObservedState with(ObservedState s, List<List<Long>> uidMap, List<List<Long>> gidMap, String setgroups,
            String hostname, List<MountRow> mounts, List<String> cgroups) {
        return new ObservedState(s.bounding(), s.permitted(), s.effective(), s.inheritable(), s.ambient(), s.securebits(),
                s.uids(), s.gids(), s.groups(), s.noNewPrivs(), s.rlimits(), s.namespaceInodes(), uidMap, gidMap, setgroups,
                hostname, mounts, cgroups, s.seccomp());
    }

    private static MountRow row(String point, String type, String options) {
        return MountRow.parse(point, options, type);
    }
}
