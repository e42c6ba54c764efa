package org.sandboxrunner.core.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;

/** What a run's leaf does the same on both versions: placing, listing, killing and removing. */
abstract sealed class LeafCgroup implements RunCgroup permits V1RunCgroup, V2RunCgroup {
    private final LeafName name;
    private final List<Path> directories;
    private final Duration killTimeout;
    private volatile boolean closed;

    LeafCgroup(LeafName name, List<Path> directories, Duration killTimeout) {
        this.name = Objects.requireNonNull(name, "name");
        this.directories = List.copyOf(directories);
        this.killTimeout = Objects.requireNonNull(killTimeout, "killTimeout");
        if (this.directories.isEmpty()) {
            throw new IllegalArgumentException("a leaf cgroup needs at least one directory");
        }
    }

    @Override
    public final String name() {
        return name.toString();
    }

    @Override
    public final List<Path> directories() {
        return directories;
    }

    @Override
    public final List<Path> procsFiles() {
        return directories.stream().map(dir -> dir.resolve("cgroup.procs")).toList();
    }

    @Override
    public final void attach(long pid) throws CgroupException {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive, got " + pid);
        }
        for (Path procs : procsFiles()) {
            CgroupFiles.write(procs, Long.toString(pid));
        }
    }

    @Override
    public final List<Long> pids() throws CgroupException {
        TreeSet<Long> pids = new TreeSet<>();
        for (Path procs : procsFiles()) {
            pids.addAll(CgroupFiles.pids(procs));
        }
        return new ArrayList<>(pids);
    }

    @Override
    public final void killAll() throws CgroupException {
        TreeKiller.killUntilEmpty(name(), this::pids, killRound(), killTimeout);
    }

    /**
     * Reads a figure from a file that older kernels lack; when absent, records why in
     * {@code unavailable} (it ends up in {@link CgroupUsage#unavailable()}).
     */
    static OptionalLong optionalFigure(Path file, String since, String consequence, List<String> unavailable)
            throws CgroupException {
        if (Files.exists(file)) {
            return OptionalLong.of(CgroupFiles.readLong(file));
        }
        unavailable.add(file + " does not exist (added in " + since + "): " + consequence);
        return OptionalLong.empty();
    }

    /** True while a process is in the leaf (v1: in any of its hierarchies; v2: in it or below it). */
    abstract boolean populated() throws CgroupException;

    /**
     * Makes the empty leaf ready for the next run of its worker slot ({@link SlotCgroup}): resets
     * the figures the kernel lets reset and returns the figures read right after, from which the
     * next run's are counted. Empty when this kernel cannot reset the memory peak, the one figure
     * that cannot be taken as a difference: the slot then makes a fresh leaf for every run.
     */
    abstract Optional<CgroupUsage> resetForReuse() throws CgroupException;

    /** Releases what the leaf holds open; called once its directories are removed. */
    void releaseFiles() throws CgroupException {}

    /** The leaf's freezer; empty for a v1 leaf left without its freezer directory. */
    abstract Optional<Freezer> freezer();

    /** How this version kills everything in the leaf once. */
    abstract TreeKiller.Round killRound();

    @Override
    public final void close() throws CgroupException {
        if (closed) {
            return;
        }
        killAll();
        TreeKiller.removeAll(name(), directories, killTimeout);
        closed = true;
        releaseFiles();
    }

    @Override
    public String toString() {
        return "RunCgroup " + name + " " + directories;
    }
}
