package org.sandboxrunner.core.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cgroup layer against the running kernel, as root: cgroup v1 on this project's hosts, and the
 * same class runs inside a cgroup v2 guest ({@link CgroupV2GuestTest}). Each test closes its
 * cgroups and processes in try-with-resources, so a failing assertion leaves nothing behind.
 */
class CgroupKernelTest {
    private static final long MIB = 1024 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static CgroupSystem system;

    @BeforeAll
    static void detect() throws CgroupException {
        system = Cgroups.detect();
    }

    /** A cgroup file of the run, wherever its hierarchy keeps it (on v1 each lives in one directory). */
    private static Path path(RunCgroup run, String name) {
        return run.directories().stream().map(dir -> dir.resolve(name)).filter(Files::exists).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is in none of " + run.directories()));
    }

    private static String file(RunCgroup run, String name) throws CgroupException {
        return CgroupFiles.firstLine(CgroupFiles.read(path(run, name)));
    }

    private static boolean exists(RunCgroup run, String name) {
        return run.directories().stream().anyMatch(dir -> Files.exists(dir.resolve(name)));
    }

    /** The leaves in the project parents that name this JVM as their owner. */
    private static Set<Path> ownLeaves() throws CgroupException {
        ProcessIdentity self = ProcessIdentity.self(HostView.real());
        Set<Path> own = new HashSet<>();
        for (Path parent : system.projectParents()) {
            for (String child : CgroupFiles.children(parent)) {
                if (LeafName.parse(child).filter(leaf -> leaf.owner().equals(self)).isPresent()) {
                    own.add(parent.resolve(child));
                }
            }
        }
        return own;
    }

    /** True when the process runs in the run's cgroup (a zombie, or a recycled pid elsewhere, does not). */
    private static boolean inCgroup(long pid, RunCgroup run) throws IOException {
        try {
            String state = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return state.charAt(state.lastIndexOf(')') + 2) != 'Z'
                    && Files.readString(Path.of("/proc/" + pid + "/cgroup")).contains("/" + run.name() + "\n");
        } catch (java.nio.file.NoSuchFileException gone) {
            return false;
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls until the condition holds, failing with {@code what} after {@link #WAIT}. */
    private static void await(Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.holds()) {
            assertTrue(System.nanoTime() < deadline, what + " within " + WAIT);
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    /**
     * Starts a bash loop that forks sleeps in the run until pids.max refuses a fork, and returns
     * once it has; bash, unlike dash, survives the failed fork and keeps trying, so the tree is
     * still forking afterwards.
     */
    private static GatedShell forkBombHeldByPidsMax(RunCgroup run) throws Exception {
        GatedShell bomb = GatedShell.start("exec bash -c 'while :; do sleep 1000 & done' >/dev/null 2>&1");
        try {
            run.attach(bomb.pid());
            bomb.release();
            Path events = path(run, "pids.events");
            await(() -> KeyedValues.read(events).require("max") > 0, "a fork refused at pids.max");
            return bomb;
        } catch (Exception | Error e) {
            bomb.close();
            throw e;
        }
    }

    @Test
    void createWritesEveryLimitAndTheKernelReportsIt() throws Exception {
        CgroupLimits limits = CgroupLimits.builder().memory(MemoryLimit.of(64 * MIB)).pidsMax(32)
                .cpuQuota(CpuQuota.ofCpus(0.5)).cpuShares(512).cpusetCpus(CpuSetList.parse("0"))
                .cpusetMems(CpuSetList.parse("0")).ioWeight(100).build();
        try (RunCgroup run = system.create("run", limits)) {
            assertEquals(system.version(), run.version());
            ProcessIdentity self = ProcessIdentity.self(HostView.real());
            assertTrue(run.name().startsWith("run-" + self.pid() + "-" + self.startTime() + "-"), run.name());
            for (Path dir : run.directories()) {
                assertTrue(system.projectParents().contains(dir.getParent()), dir + " is under a project parent");
                assertEquals(run.name(), dir.getFileName().toString());
            }
            assertEquals(run.directories().stream().map(d -> d.resolve("cgroup.procs")).toList(), run.procsFiles());
            if (system.version() == CgroupVersion.V1) {
                assertEquals(7, run.directories().size(), "memory pids cpuacct freezer cpu cpuset blkio");
                assertEquals(Long.toString(64 * MIB), file(run, "memory.limit_in_bytes"));
                assertEquals(Long.toString(64 * MIB), file(run, "memory.memsw.limit_in_bytes"));
                assertEquals("50000", file(run, "cpu.cfs_quota_us"));
                assertEquals("100000", file(run, "cpu.cfs_period_us"));
                assertEquals("512", file(run, "cpu.shares"));
                assertEquals("100", file(run, exists(run, "blkio.weight") ? "blkio.weight" : "blkio.bfq.weight"));
            } else {
                assertEquals(1, run.directories().size());
                assertEquals(Long.toString(64 * MIB), file(run, "memory.max"));
                assertEquals("0", file(run, "memory.swap.max"));
                assertEquals("50000 100000", file(run, "cpu.max"));
                assertEquals("59", file(run, "cpu.weight"));
                assertEquals(exists(run, "io.bfq.weight") ? "default 100" : "default 910",
                        file(run, exists(run, "io.bfq.weight") ? "io.bfq.weight" : "io.weight"));
            }
            assertEquals("32", file(run, "pids.max"));
            assertEquals("0", file(run, "cpuset.cpus"));
            assertEquals("0", file(run, "cpuset.mems"));
        }
    }

    @Test
    void aProcessWrittenToProcsFilesIsInTheRunsCgroupInEveryHierarchy() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "1000").start();
        try (RunCgroup run = system.create("run", CgroupLimits.none())) {
            run.attach(sleep.pid());
            assertEquals(List.of(sleep.pid()), run.pids());
            for (Path procs : run.procsFiles()) {
                assertEquals(List.of(sleep.pid()), CgroupFiles.pids(procs), procs.toString());
            }
            int placed = 0;
            for (ProcCgroupEntry line : ProcCgroupEntry.parseAll(Files.readString(Path.of("/proc/" + sleep.pid() + "/cgroup")))) {
                boolean used = system.version() == CgroupVersion.V2 ? line.isUnified()
                        : line.controllers().stream().anyMatch(List.of("memory", "pids", "cpuacct", "freezer")::contains);
                if (used) {
                    assertTrue(line.path().endsWith("/" + run.name()), line.toString());
                    placed++;
                }
            }
            assertEquals(system.version() == CgroupVersion.V2 ? 1 : 4, placed);
            assertEquals(1, run.usage().pidsCurrent());
        } finally {
            sleep.destroyForcibly().waitFor();
        }
        assertFalse(sleep.isAlive());
    }

    @Test
    void cpuTimeOfABusyTreeIsAtLeastWhatItsProcessesRanExactly() throws Exception {
        // Every process of the run reports its own exact run time (/proc/PID/schedstat field 1, ns)
        // with the shell's read builtin, so no uncounted process is involved: two spinning workers
        // (one in the background) from fork to their last read, and the gate shell from the moment
        // it was attached (it is blocked reading stdin then) to its last read. The cgroup must count
        // at least their sum. The rest is what they do after their last read (echo, exit): 4-7 ms
        // on this project's hosts; in the emulated guest of CgroupV2GuestTest host scheduling adds
        // noise, so the upper bound is kept loose: it catches unit and double-counting errors.
        String worker = "i=0; while [ $i -lt 40000 ]; do i=$((i+1)); done; read t x </proc/$$/schedstat; echo $t";
        String script = "w='" + worker + "'; sh -c \"$w\" & sh -c \"$w\"; wait; read t x </proc/$$/schedstat; echo $t";
        try (RunCgroup run = system.create("run", CgroupLimits.none()); GatedShell shell = GatedShell.start(script)) {
            run.attach(shell.pid());
            long atAttach = Long.parseLong(Files.readString(Path.of("/proc/" + shell.pid() + "/schedstat")).split(" ")[0]);
            shell.release();
            assertEquals(0, shell.await(WAIT));
            long exact = shell.output().lines().mapToLong(Long::parseLong).sum() - atAttach;
            CgroupUsage usage = run.usage();
            assertTrue(exact >= 20_000_000L, "the processes ran for " + exact + " ns");
            long rest = usage.cpuTimeNanos() - exact;
            assertTrue(rest >= 0 && rest <= 100_000_000L + exact / 5,
                    "cgroup " + usage.cpuTimeNanos() + " ns vs the processes' own " + exact + " ns");
            assertEquals(usage.cpuTimeNanos(), run.cpuUsageFile().readNanos());
            assertEquals(0, usage.pidsCurrent());
        }
    }

    @Test
    void memoryPeakCountsWhatTheRunHeld() throws Exception {
        // tail keeps a pipe's whole input when it holds no newline: 24 MiB from /dev/zero.
        try (RunCgroup run = system.create("run", CgroupLimits.none());
             GatedShell shell = GatedShell.start("head -c 24M /dev/zero | tail >/dev/null")) {
            run.attach(shell.pid());
            shell.release();
            assertEquals(0, shell.await(WAIT));
            CgroupUsage usage = run.usage();
            if (usage.memoryPeakBytes().isPresent()) {
                long peak = usage.memoryPeakBytes().getAsLong();
                assertTrue(peak >= 24 * MIB && peak <= 48 * MIB, "peak " + peak);
            } else {
                assertTrue(usage.unavailable().stream().anyMatch(s -> s.contains("memory.peak")), usage.toString());
            }
            assertEquals(0, usage.oomKills());
        }
    }

    @Test
    void aMemoryLimitOomKillIsCounted() throws Exception {
        CgroupLimits limits = CgroupLimits.builder().memory(MemoryLimit.of(16 * MIB)).build();
        try (RunCgroup run = system.create("run", limits);
             GatedShell shell = GatedShell.start("head -c 64M /dev/zero | tail >/dev/null")) {
            run.attach(shell.pid());
            shell.release();
            assertEquals(128 + 9, shell.await(WAIT), "tail was SIGKILLed");
            CgroupUsage usage = run.usage();
            assertTrue(usage.oomKills() >= 1, usage.toString());
            usage.memoryPeakBytes().ifPresent(peak -> assertTrue(peak <= 16 * MIB && peak >= 8 * MIB, "peak " + peak));
        }
    }

    @Test
    void reachingTheMemoryLimitIsCounted() throws Exception {
        // With swap allowed, v1 charges memory before memsw, so memory.failcnt counts; with memsw
        // equal to the limit some v1 kernels count the refusal nowhere (6.18 here), which is why
        // verdicts rest on oomKills. No swap is active on the test hosts, so this still OOMs.
        CgroupLimits limits = CgroupLimits.builder().memory(new MemoryLimit(16 * MIB, 16 * MIB)).build();
        try (RunCgroup run = system.create("run", limits);
             GatedShell shell = GatedShell.start("head -c 64M /dev/zero | tail >/dev/null")) {
            run.attach(shell.pid());
            shell.release();
            shell.await(WAIT);
            CgroupUsage usage = run.usage();
            assertTrue(usage.memoryLimitHits() >= 1, usage.toString());
        }
    }

    @Test
    void killAllKillsAForkingTreeHeldByPidsMaxAndNothingElse() throws Exception {
        Process bystander = new ProcessBuilder("sleep", "1000").start();
        try (RunCgroup run = system.create("run", CgroupLimits.builder().pidsMax(16).build());
             GatedShell bomb = forkBombHeldByPidsMax(run)) {
            CgroupUsage usage = run.usage();
            assertEquals(16, usage.pidsCurrent(), "pids.max holds the tree at 16");
            usage.pidsPeak().ifPresent(peak -> assertEquals(16, peak));
            List<Long> seen = run.pids();

            run.killAll();

            assertEquals(List.of(), run.pids());
            for (long pid : seen) {
                assertFalse(inCgroup(pid, run), "pid " + pid + " survived");
            }
            assertTrue(bystander.isAlive(), "a process outside the cgroup is left alone");
        } finally {
            bystander.destroyForcibly().waitFor();
        }
    }

    @Test
    void freezeKillThawRoundsEmptyAForkingTree() throws Exception {
        // The rounds v1 always uses and v2 uses on kernels without cgroup.kill (before 5.14).
        try (RunCgroup run = system.create("run", CgroupLimits.builder().pidsMax(16).build());
             GatedShell bomb = forkBombHeldByPidsMax(run)) {
            Freezer freezer = ((LeafCgroup) run).freezer().orElseThrow();
            freezer.freeze();
            await(freezer::isFrozen, "the tree froze");
            freezer.thaw();
            await(() -> !freezer.isFrozen(), "the tree thawed");

            TreeKiller.killUntilEmpty(run.name(), run::pids, TreeKiller.freezeKillThaw(Optional.of(freezer), run::pids),
                    WAIT);

            assertEquals(List.of(), run.pids());
            assertFalse(freezer.isFrozen(), "left thawed");
        }
    }

    @Test
    void closeKillsRemovesEveryDirectoryAndCanBeRepeated() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "1000").start();
        try {
            RunCgroup run = system.create("run", CgroupLimits.builder().memory(MemoryLimit.of(32 * MIB)).build());
            run.attach(sleep.pid());
            run.close();
            assertTrue(sleep.waitFor(10, TimeUnit.SECONDS), "the run's process died");
            for (Path dir : run.directories()) {
                assertFalse(Files.exists(dir), dir + " removed");
            }
            run.close();
        } finally {
            sleep.destroyForcibly().waitFor();
        }
    }

    @Test
    void aFailedLimitWriteNamesTheFileAndLeavesNoLeaf() throws Exception {
        Set<Path> before = ownLeaves();
        CgroupLimits impossible = CgroupLimits.builder().memory(MemoryLimit.of(32 * MIB))
                .cpusetCpus(CpuSetList.parse("4000")).build();
        CgroupException e = assertThrows(CgroupException.class, () -> system.create("run", impossible));
        // The kernel's text: EINVAL on some kernels, ERANGE ("Numerical result out of range") on others.
        assertTrue(e.getMessage().matches("cannot write '4000' to /\\S+/cpuset\\.cpus: [A-Z][a-z ]+"), e.getMessage());
        assertEquals(before, ownLeaves());
    }

    @Test
    void removeStaleRemovesLeavesOfDeadRunnersOnly() throws Exception {
        HostView host = HostView.real();
        Process dead = new ProcessBuilder("sleep", "1000").start();
        ProcessIdentity deadOwner = ProcessIdentity.of(host, dead.pid()).orElseThrow();
        dead.destroyForcibly().waitFor();
        Process live = new ProcessBuilder("sleep", "1000").start();
        ProcessIdentity liveOwner = ProcessIdentity.of(host, live.pid()).orElseThrow();
        Process victim = new ProcessBuilder("sleep", "1000").start();
        String staleName = new LeafName("run", deadOwner, 1).toString();
        String liveName = new LeafName("run", liveOwner, 1).toString();
        String foreignName = "notes";
        List<Path> made = new ArrayList<>();
        try (RunCgroup own = system.create("run", CgroupLimits.none())) {
            for (Path dir : own.directories()) {
                for (String name : List.of(staleName, liveName, foreignName)) {
                    Path leaf = dir.getParent().resolve(name);
                    Files.createDirectory(leaf);
                    made.add(leaf);
                }
                CgroupFiles.write(dir.getParent().resolve(staleName).resolve("cgroup.procs"), Long.toString(victim.pid()));
            }

            List<String> removed = system.removeStale();

            assertTrue(removed.contains(staleName), removed.toString());
            assertFalse(removed.contains(liveName) || removed.contains(own.name()) || removed.contains(foreignName));
            assertTrue(victim.waitFor(10, TimeUnit.SECONDS), "the process in the stale leaf was killed");
            for (Path dir : own.directories()) {
                assertFalse(Files.exists(dir.getParent().resolve(staleName)));
                assertTrue(Files.isDirectory(dir.getParent().resolve(liveName)));
                assertTrue(Files.isDirectory(dir.getParent().resolve(foreignName)));
                assertTrue(Files.isDirectory(dir));
            }
        } finally {
            for (Path leaf : made) {
                CgroupFiles.rmdir(leaf);
            }
            live.destroyForcibly().waitFor();
            victim.destroyForcibly().waitFor();
        }
    }

    @Test
    void theCpuUsageFileIsTheOneForThisVersion() throws IOException {
        try (RunCgroup run = system.create("run", CgroupLimits.none())) {
            CpuUsageFile usage = run.cpuUsageFile();
            assertTrue(run.directories().contains(usage.path().getParent()));
            assertEquals(system.version() == CgroupVersion.V1 ? "cpuacct.usage" : "cpu.stat",
                    usage.path().getFileName().toString());
            assertEquals(0, usage.readNanos(), "nothing ran in a new cgroup");
        }
    }
    /** Runs a script in the cgroup and returns its exit status. */
    private static int runIn(RunCgroup run, String script) throws Exception {
        try (GatedShell shell = GatedShell.start(script)) {
            run.attach(shell.pid());
            shell.release();
            return shell.await(WAIT);
        }
    }

    @Test
    void aSlotReusesItsLeafAndEachRunsFiguresAreItsOwn() throws Exception {
        CgroupLimits limits = CgroupLimits.builder().memory(MemoryLimit.of(256 * MIB)).pidsMax(64).build();
        try (SlotCgroup slot = system.openSlot()) {
            List<Path> firstDirs;
            CgroupUsage first;
            try (RunCgroup run = slot.lease(limits)) {
                firstDirs = run.directories();
                assertTrue(run.name().startsWith("slot-"), run.name());
                // 48 MiB held in a pipe, CPU spent by a counting loop, and 64 MiB of page cache
                // charged to the leaf (a file read from this host), which outlives the run's processes.
                assertEquals(0, runIn(run, "head -c 48M /dev/zero | tail >/dev/null; i=0; while [ $i -lt 40000 ]; do"
                        + " i=$((i+1)); done; cat /proc/self/exe /usr/bin/* 2>/dev/null | head -c 64M >/dev/null"));
                first = run.usage();
            }
            assertTrue(first.cpuTimeNanos() > 10_000_000L, first.toString());
            try (RunCgroup run = slot.lease(limits)) {
                if (slot.reusesLeaves()) {
                    assertEquals(firstDirs, run.directories(), "the same leaf");
                } else {
                    // cgroup v2 before Linux 6.12 cannot reset memory.peak: a fresh leaf per run.
                    assertEquals(CgroupVersion.V2, system.version());
                    assertFalse(firstDirs.stream().anyMatch(Files::exists), "the first leaf was removed");
                }
                assertEquals(List.of(), run.pids());
                assertEquals(0, runIn(run, "true"));
                CgroupUsage second = run.usage();
                assertTrue(second.cpuTimeNanos() < first.cpuTimeNanos() / 2, "second " + second + " first " + first);
                assertTrue(second.cpuTimeNanos() <= run.cpuUsageFile().readNanos() - run.cpuBaselineNanos());
                if (second.memoryPeakBytes().isPresent()) {
                    assertTrue(second.memoryPeakBytes().getAsLong() < 16 * MIB, "the first run's memory is not counted: "
                            + second);
                }
                assertEquals(0, second.oomKills());
                assertEquals(0, second.memoryLimitHits());
            }
        }
        for (Path dir : ownLeaves()) {
            assertFalse(dir.getFileName().toString().startsWith("slot-"), dir + " left behind");
        }
    }

    @Test
    void aSlotCountsAnOomKillInTheRunItHappenedInOnly() throws Exception {
        CgroupLimits limits = CgroupLimits.builder().memory(MemoryLimit.of(16 * MIB)).build();
        try (SlotCgroup slot = system.openSlot()) {
            try (RunCgroup run = slot.lease(limits)) {
                assertEquals(128 + 9, runIn(run, "head -c 64M /dev/zero | tail >/dev/null"), "tail was SIGKILLed");
                assertTrue(run.usage().oomKills() >= 1, run.usage().toString());
            }
            try (RunCgroup run = slot.lease(limits)) {
                assertEquals(0, runIn(run, "true"));
                assertEquals(0, run.usage().oomKills(), run.usage().toString());
            }
        }
    }

    @Test
    void aSlotReplacesALeafThatIsNotEmptyOrWhoseLimitsChange() throws Exception {
        Process stray = new ProcessBuilder("sleep", "1000").start();
        try (SlotCgroup slot = system.openSlot()) {
            RunCgroup first = slot.lease(CgroupLimits.builder().pidsMax(8).build());
            first.close();
            // A process that got into the leaf after its run ended: the leaf is not reused.
            first.attach(stray.pid());
            RunCgroup second = slot.lease(CgroupLimits.builder().pidsMax(8).build());
            assertFalse(second.name().equals(first.name()), "a fresh leaf");
            assertTrue(stray.waitFor(10, TimeUnit.SECONDS), "the stray process was killed with the old leaf");
            assertFalse(first.directories().stream().anyMatch(Files::exists), "the old leaf was removed");
            assertEquals("8", file(second, "pids.max"));
            assertThrows(IllegalStateException.class, () -> slot.lease(CgroupLimits.none()), "one run at a time");
            second.close();

            RunCgroup third = slot.lease(CgroupLimits.none());
            assertFalse(third.name().equals(second.name()), "other limits: a fresh leaf");
            assertEquals("max", file(third, "pids.max"), "a limit the run does not set is the kernel's default");
            third.close();
            slot.close();
            assertFalse(third.directories().stream().anyMatch(Files::exists), "closing the slot removes its leaf");
            slot.close();
            assertThrows(IllegalStateException.class, () -> slot.lease(CgroupLimits.none()));
        } finally {
            stray.destroyForcibly().waitFor();
        }
    }
}
