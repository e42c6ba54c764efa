package org.sandboxrunner.core.cgroup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** A run's leaf on cgroup v2: one directory. */
final class V2RunCgroup extends LeafCgroup {
    private final Path dir;
    /**
     * memory.peak opened for reading and writing once the leaf is reused: a write resets the peak
     * for later reads through the same descriptor only (Linux 6.12, cgroup-v2.rst), so the reset
     * and every later read go through this one. Null on a leaf's first run.
     */
    private FileChannel peak;

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
                peak != null ? OptionalLong.of(readPeak()) : optionalFigure(dir.resolve("memory.peak"), "Linux 5.19",
                        "no cgroup memory peak; use the rusage maximum RSS instead", unavailable),
                events.require("max"),
                events.require("oom_kill"),
                CgroupFiles.readLong(dir.resolve("pids.current")),
                optionalFigure(dir.resolve("pids.peak"), "Linux 6.1", "no peak task count", unavailable),
                unavailable);
    }

    @Override
    boolean populated() throws CgroupException {
        // "populated 1" while a process is in the leaf or any cgroup below it (cgroup-v2.rst).
        return KeyedValues.read(dir.resolve("cgroup.events")).require("populated") != 0;
    }

    @Override
    Optional<CgroupUsage> resetForReuse() throws CgroupException {
        if (peak == null) {
            Path file = dir.resolve("memory.peak");
            try {
                peak = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (AccessDeniedException | java.nio.file.NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new CgroupException("cannot open " + file + " to reset it: " + CgroupFiles.reason(e), e);
            }
            // The probe: before Linux 6.12 memory.peak has no write handler and a write fails with
            // EINVAL (seen on 6.1), though root may open it for writing.
            if (!resetPeak()) {
                releaseFiles();
                peak = null;
                return Optional.empty();
            }
        }
        reclaim();
        if (!resetPeak()) {
            throw new CgroupException("cannot reset " + dir.resolve("memory.peak") + " any more: Invalid argument");
        }
        return Optional.of(usage());
    }

    /** Writes "reset" to memory.peak through {@link #peak}; false when the kernel refuses it (EINVAL). */
    private boolean resetPeak() throws CgroupException {
        try {
            peak.write(ByteBuffer.wrap("reset\n".getBytes(StandardCharsets.US_ASCII)), 0);
            return true;
        } catch (IOException e) {
            if ("Invalid argument".equals(CgroupFiles.reason(e))) {
                return false;
            }
            throw new CgroupException("cannot reset " + dir.resolve("memory.peak") + ": " + CgroupFiles.reason(e), e);
        }
    }

    /**
     * Asks the kernel to reclaim what the last run left charged to the leaf (the page cache of
     * host files it read), so that it counts against no later run. memory.reclaim (Linux 5.19)
     * fails with EAGAIN when it could not reclaim all it was asked for (the JDK reports that as a
     * write of 0 bytes): what is left is the kernel's own, which the reset peak then starts from,
     * as on v1 after force_empty. A residue below {@link SlotCgroup#RECLAIM_ABOVE_BYTES} is left, as on v1.
     */
    private void reclaim() throws CgroupException {
        Path reclaim = dir.resolve("memory.reclaim");
        long current = CgroupFiles.readLong(dir.resolve("memory.current"));
        if (current <= SlotCgroup.RECLAIM_ABOVE_BYTES || !Files.exists(reclaim)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(reclaim, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(Long.toString(current).getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new CgroupException("cannot write '" + current + "' to " + reclaim + ": " + CgroupFiles.reason(e), e);
        }
    }

    private long readPeak() throws CgroupException {
        try {
            ByteBuffer buf = ByteBuffer.allocate(32);
            peak.read(buf, 0);
            return Long.parseLong(new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException e) {
            throw new CgroupException("cannot read " + dir.resolve("memory.peak") + ": " + e.getMessage(), e);
        }
    }

    @Override
    void releaseFiles() throws CgroupException {
        if (peak != null) {
            try {
                peak.close();
            } catch (IOException e) {
                throw new CgroupException("cannot close " + dir.resolve("memory.peak") + ": " + e.getMessage(), e);
            }
        }
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
