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
    boolean populated() throws CgroupException {
        return !pids().isEmpty();
    }

    @Override
    Optional<CgroupUsage> resetForReuse() throws CgroupException {
        Path memory = dir("memory");
        // The page cache of host files the last run read stays charged to the leaf after its
        // processes are gone; force_empty reclaims it, so it counts against no later run
        // (cgroup-v1/memory.rst 5.1: "make cgroup's memory usage empty"). It drains every CPU's
        // LRU lists and waits for them (about 2 ms here, more than reusing the leaf saves), so a
        // residue below SlotCgroup.RECLAIM_ABOVE_BYTES is left as the next run's starting usage.
        if (CgroupFiles.readLong(memory.resolve("memory.usage_in_bytes")) > SlotCgroup.RECLAIM_ABOVE_BYTES) {
            CgroupFiles.write(memory.resolve("memory.force_empty"), "0");
        }
        // Writing 0 resets a max_usage_in_bytes to the current usage and a failcnt to 0 (memory.rst
        // 5.4); writing 0 to cpuacct.usage resets it (cgroup-v1/cpuacct.rst).
        for (String file : List.of("memory.max_usage_in_bytes", "memory.failcnt")) {
            CgroupFiles.write(memory.resolve(file), "0");
        }
        for (String file : List.of("memory.memsw.max_usage_in_bytes", "memory.memsw.failcnt")) {
            if (Files.exists(memory.resolve(file))) {
                CgroupFiles.write(memory.resolve(file), "0");
            }
        }
        CgroupFiles.write(cpuUsageFile().path(), "0");
        return Optional.of(usage());
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
