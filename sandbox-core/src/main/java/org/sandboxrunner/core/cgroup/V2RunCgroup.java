package org.sandboxrunner.core.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A run's leaf on cgroup v2: one directory. */
final class V2RunCgroup extends LeafCgroup {
    private final Path dir;

    V2RunCgroup(LeafName name, Path dir, Duration killTimeout) {
        super(name, List.of(dir), killTimeout);
        this.dir = dir;
    }

    @Override
    public CgroupVersion version() {
        return CgroupVersion.V2;
    }

    @Override
    public CpuUsageFile cpuUsageFile() {
        return new CpuUsageFile(dir.resolve("cpu.stat"), CpuUsageFile.Format.CPU_STAT);
    }

    @Override
    public CgroupUsage usage() throws CgroupException {
        List<String> unavailable = new ArrayList<>();
        KeyedValues events = KeyedValues.read(dir.resolve("memory.events"));
        return new CgroupUsage(
                cpuUsageFile().readNanos(),
                optionalFigure(dir.resolve("memory.peak"), "Linux 5.19",
                        "no cgroup memory peak; use the rusage maximum RSS instead", unavailable),
                events.require("max"),
                events.require("oom_kill"),
                CgroupFiles.readLong(dir.resolve("pids.current")),
                optionalFigure(dir.resolve("pids.peak"), "Linux 6.1", "no peak task count", unavailable),
                unavailable);
    }

    @Override
    TreeKiller.Round killRound() {
        Path kill = dir.resolve("cgroup.kill");
        if (Files.exists(kill)) {
            // cgroup.kill (Linux 5.14) SIGKILLs every task in the subtree atomically with respect to
            // forks: a child forked concurrently is killed too (cgroup-v2.rst).
            return () -> CgroupFiles.write(kill, "1");
        }
        return TreeKiller.freezeKillThaw(freezer(), this::pids);
    }

    @Override
    Optional<Freezer> freezer() {
        return Optional.of(Freezer.v2(dir));
    }
}
