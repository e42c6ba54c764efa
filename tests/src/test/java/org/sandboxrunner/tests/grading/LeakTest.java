package org.sandboxrunner.tests.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.core.cgroup.CgroupException;
import org.sandboxrunner.core.cgroup.Cgroups;
import org.sandboxrunner.core.run.LimitOverrides;
import org.sandboxrunner.core.run.RunRequest;
import org.sandboxrunner.core.run.RunResult;
import org.sandboxrunner.core.run.Sandbox;
import org.sandboxrunner.core.run.Status;
import org.sandboxrunner.tests.SandboxFixture;
import org.sandboxrunner.tests.escape.HostProcesses;

/**
 * Many consecutive runs through the Java API, ending every way a run can (OK, TLE by CPU and by wall,
 * MLE, OLE, a signal), leave nothing behind in this JVM or on the host: no cgroup leaf of this runner,
 * no mount in the runner's mount namespace, no descendant process, no open descriptor, no file in the
 * runner's state directory. CI runs {@value #CI_RUNS}; {@code -Dsandbox.leak.runs=1000} runs the full
 * study (docs/grading.md has its figures).
 */
class LeakTest {
    private static final int CI_RUNS = 200;
    private static final int WARMUP = 12;
    private static final long MIB = 1 << 20;
    private static final Path STATE = Path.of("/run/sandbox-runner");
    private static final long SETTLE_MS = 10_000;

    /** One kind of run in the mix: the program's mode and arguments, its limits and its verdict. */
    private record Kind(String mode, List<String> args, LimitOverrides limits, Status status) {}

    private static final List<Kind> MIX = List.of(
            new Kind("orphan", List.of(), limits(0, 5000, 0, 0), Status.OK),
            new Kind("spin", List.of(), limits(50, 5000, 0, 0), Status.TLE),
            new Kind("sleep", List.of(), limits(0, 50, 0, 0), Status.TLE),
            new Kind("heap", List.of("64"), limits(0, 5000, 16 * MIB, 0), Status.MLE),
            new Kind("flood", List.of(), limits(0, 5000, 0, 4096), Status.OLE),
            new Kind("segv", List.of(), limits(0, 5000, 0, 0), Status.SG));

    @Test
    void consecutiveRunsLeaveNothingBehind(@TempDir Path staging) throws Exception {
        int runs = Integer.getInteger("sandbox.leak.runs", CI_RUNS);
        VerdictPrograms programs = VerdictPrograms.stage(staging);
        String marker = "leak-" + UUID.randomUUID();
        Map<Status, Integer> seen = new EnumMap<>(Status.class);
        List<Long> earlier = ProcessHandle.current().descendants().map(ProcessHandle::pid).toList();
        try (Sandbox sandbox = Sandbox.open()) {
            for (int i = 0; i < WARMUP; i++) {
                run(sandbox, programs, MIX.get(i % MIX.size()), marker);
            }
            Snapshot before = Snapshot.take();
            long start = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                Kind k = MIX.get(i % MIX.size());
                RunResult r = run(sandbox, programs, k, marker);
                assertEquals(k.status(), r.status(), () -> "run " + k.mode() + ": " + r.message());
                seen.merge(r.status(), 1, Integer::sum);
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("LeakTest: %d runs in %d ms (%.1f ms per run), load average %s; verdicts %s%n", runs, ms,
                    (double) ms / runs, Files.readString(Path.of("/proc/loadavg")).trim(), seen);
            before.assertSameAs(Snapshot.settled(before));
        }
        // Other tests' sandboxes in this JVM may keep idle fork servers; this test's must be gone.
        assertEquals(List.of(), ProcessHandle.current().descendants().map(ProcessHandle::pid)
                .filter(pid -> !earlier.contains(pid)).toList(),
                "processes started by the JVM and left after the sandbox was closed (its fork servers)");
        assertEquals(List.of(), HostProcesses.carrying(marker), "a process of a run survived it");
    }

    private static RunResult run(Sandbox sandbox, VerdictPrograms programs, Kind k, String marker) {
        List<String> argv = new ArrayList<>(programs.command("c"));
        argv.add(k.mode());
        argv.addAll(k.args());
        argv.add(marker);
        return sandbox.run(RunRequest.of(SandboxFixture.builtin("grader-c"), argv).withBinds(List.of(programs.bind()))
                .withLimits(k.limits()));
    }

    private static LimitOverrides limits(long cpuMs, long wallMs, long memory, long output) {
        return new LimitOverrides(opt(cpuMs), opt(wallMs), opt(memory), OptionalLong.empty(), opt(output));
    }

    private static OptionalLong opt(long v) {
        return v == 0 ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /** What a run could leak, seen from this JVM. */
    private record Snapshot(Set<String> cgroupLeaves, Set<String> mounts, Set<String> fds, List<Long> descendants,
            Set<String> stateFiles) {

        static Snapshot take() throws IOException, CgroupException {
            return new Snapshot(leavesOf(ProcessHandle.current().pid()), new HashSet<>(Files.readAllLines(Path.of("/proc/self/mountinfo"))),
                    openFds(), ProcessHandle.current().descendants().map(ProcessHandle::pid).toList(), tree(STATE));
        }

        /**
         * A snapshot that equals {@code expected}, or the last one taken within {@value #SETTLE_MS} ms.
         * The mount namespace and the state directory are the host's, shared with every other runner on
         * the machine (other engineers' tests on a development host): what they add comes and goes, a
         * leak of these runs stays.
         */
        static Snapshot settled(Snapshot expected) throws IOException, CgroupException, InterruptedException {
            long deadline = System.nanoTime() + SETTLE_MS * 1_000_000;
            Snapshot now = take();
            while (!now.equals(expected) && System.nanoTime() < deadline) {
                Thread.sleep(100);
                now = take();
            }
            return now;
        }

        void assertSameAs(Snapshot after) {
            assertEquals(cgroupLeaves, after.cgroupLeaves, "cgroup leaves of this runner");
            assertEquals(new TreeSet<>(mounts), new TreeSet<>(after.mounts), "mounts in the runner's namespace");
            assertEquals(new TreeSet<>(fds), new TreeSet<>(after.fds), "open descriptors of the JVM");
            // The sandbox's idle fork server, started by the warm-up runs: the same one, nothing under it.
            assertEquals(descendants, after.descendants, "processes started by the JVM");
            assertEquals(stateFiles, after.stateFiles, "files in " + STATE);
        }

        /** "fd -> target" of every descriptor of this JVM, but the one the listing itself uses. */
        private static Set<String> openFds() throws IOException {
            Set<String> out = new TreeSet<>();
            try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
                for (Path fd : s.toList()) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (!target.startsWith("/proc/") || !target.endsWith("/fd")) {
                            out.add(fd.getFileName() + " -> " + target);
                        }
                    } catch (IOException e) {
                        // the listing's own descriptor, closed by now
                    }
                }
            }
            return out;
        }
    }

    /** Leaf cgroups named for this runner pid ({@code LABEL-PID-STARTTIME-SEQ}) in every project parent. */
    static Set<String> leavesOf(long runnerPid) throws IOException, CgroupException {
        Set<String> out = new TreeSet<>();
        for (Path parent : Cgroups.detect().projectParents()) {
            if (!Files.isDirectory(parent)) {
                continue;
            }
            try (Stream<Path> s = Files.list(parent)) {
                s.filter(Files::isDirectory).filter(p -> p.getFileName().toString().split("-").length == 4
                        && p.getFileName().toString().split("-")[1].equals(Long.toString(runnerPid))).forEach(p -> out.add(p.toString()));
            }
        }
        return out;
    }

    private static String listing() {
        try {
            StringBuilder sb = new StringBuilder();
            for (Path parent : Cgroups.detect().projectParents()) {
                sb.append(parent).append(": ").append(tree(parent).stream().filter(p -> !p.contains(".") && !p.endsWith("tasks")).toList()).append("; ");
            }
            return sb.toString();
        } catch (CgroupException e) {
            return e.getMessage();
        }
    }

    private static Set<String> tree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(Path::toString).collect(TreeSet::new, Set::add, Set::addAll);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A runner killed with SIGKILL mid-run: the run's processes die with it (the helper's lifeline, see
     * RunnerDeathTest), its cgroup leaf stays (no one was left to remove it), and the next runner's
     * start removes it.
     */
    @Test
    void theNextStartRemovesTheCgroupOfARunnerKilledMidRun(@TempDir Path staging) throws Exception {
        String marker = "killed-runner-" + UUID.randomUUID();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process runner = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "org.sandboxrunner.core.cli.Main", "run", "--", "/bin/sh", "-c", "sleep 1000; : " + marker)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Set<String> leaves;
        try {
            long deadline = System.nanoTime() + 20_000_000_000L;
            // The runner's own command line carries the marker too: wait for another process.
            while (HostProcesses.carrying(marker).stream().allMatch(p -> p.startsWith(runner.pid() + ":"))) {
                assertTrue(runner.isAlive(), "the runner ended before the workload started");
                assertTrue(System.nanoTime() < deadline, () -> "the workload never started: " + HostProcesses.carrying(marker));
                Thread.sleep(20);
            }
            // A process that carries the marker for a moment (a spawn's child before its exec shares the
            // parent's command line) can be seen before the run's leaf exists: wait for the leaf too.
            leaves = leavesOf(runner.pid());
            while (leaves.isEmpty() && runner.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
                leaves = leavesOf(runner.pid());
            }
            Set<String> seen = leaves;
            assertFalse(seen.isEmpty(), () -> "the running runner " + runner.pid() + " has no cgroup leaf; marked processes "
                    + HostProcesses.carrying(marker) + ", project parents " + listing());
            runner.destroyForcibly(); // SIGKILL
            runner.waitFor();
            deadline = System.nanoTime() + 2_000_000_000L;
            while (!HostProcesses.carrying(marker).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(List.of(), HostProcesses.carrying(marker), "processes of the run survived the runner");
        } finally {
            runner.destroyForcibly();
            HostProcesses.killCarrying(marker);
        }
        assertEquals(leaves, leavesOf(runner.pid()), "the dead runner's leaf should still be there before the next start");
        try (Sandbox next = Sandbox.open()) {
            assertEquals(Set.of(), leavesOf(runner.pid()), "the next start left the dead runner's cgroup");
        }
    }
}
