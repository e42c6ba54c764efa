package org.sandboxrunner.core.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** A run's leaf on cgroup v1: one directory per hierarchy, keyed by the controllers it carries. */
final class V1RunCgroup extends LeafCgroup {
    private final Map<String, Path> byController;

    /** @param byController each controller the leaf has, to its leaf directory (co-mounted ones share one) */
    V1RunCgroup(LeafName name, Map<String, Path> byController, Duration killTimeout) {
        super(name, byController.values().stream().distinct().sorted().toList(), killTimeout);
        this.byController = Map.copyOf(byController);
    }

    @Override
    public CgroupVersion version() {
        return CgroupVersion.V1;
    }

    private Path dir(String controller) throws CgroupException {
        Path dir = byController.get(controller);
        if (dir == null) {
            throw new CgroupException("cgroup " + name() + " has no " + controller + " leaf");
        }
        return dir;
    }

    @Override
    public CpuUsageFile cpuUsageFile() {
        Path dir = byController.get("cpuacct");
        if (dir == null) {
            throw new IllegalStateException("cgroup " + name() + " has no cpuacct leaf");
        }
        return new CpuUsageFile(dir.resolve("cpuacct.usage"), CpuUsageFile.Format.NANOSECONDS);
    }

    @Override
    public CgroupUsage usage() throws CgroupException {
        Path memory = dir("memory");
        Path pids = dir("pids");
        List<String> unavailable = new ArrayList<>();
        return new CgroupUsage(
                cpuUsageFile().readNanos(),
                OptionalLong.of(CgroupFiles.readLong(memory.resolve("memory.max_usage_in_bytes"))),
                limitHits(memory),
                KeyedValues.read(memory.resolve("memory.oom_control")).require("oom_kill"),
                CgroupFiles.readLong(pids.resolve("pids.current")),
                optionalFigure(pids.resolve("pids.peak"), "Linux 6.1", "no peak task count", unavailable),
                unavailable);
    }

    /**
     * A charge that fails is counted in the failcnt of the counter that refused it: with a memsw
     * limit (memory plus swap) that is usually memory.memsw.failcnt, so both are added.
     */
    private static long limitHits(Path memory) throws CgroupException {
        Path memsw = memory.resolve("memory.memsw.failcnt");
        return CgroupFiles.readLong(memory.resolve("memory.failcnt"))
                + (Files.exists(memsw) ? CgroupFiles.readLong(memsw) : 0);
    }

    @Override
    Optional<Freezer> freezer() {
        return Optional.ofNullable(byController.get("freezer")).map(Freezer::v1);
    }

    /**
     * Freeze, kill, thaw. A leaf left half-made by a dead runner may lack its freezer directory;
     * kill rounds without freezing still end once nothing forks faster than it is killed.
     */
    @Override
    TreeKiller.Round killRound() {
        return TreeKiller.freezeKillThaw(freezer(), this::pids);
    }
}
