package org.sandboxrunner.tests.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sandboxrunner.core.run.LimitOverrides;
import org.sandboxrunner.core.run.RunRequest;
import org.sandboxrunner.core.run.RunResult;
import org.sandboxrunner.core.run.Status;
import org.sandboxrunner.tests.SandboxFixture;
import org.sandboxrunner.tests.escape.HostProcesses;

/**
 * Every way a C, Python or Java program can end (issue 6), each run with the grader profile of its
 * language and asserted on three things: the verdict, the limit that fired (or none), and that no
 * process of the run is left on the host (every process carries a marker in its command line).
 * docs/grading.md explains each expected verdict from the kernel fact behind it.
 */
class VerdictProgramsTest {
    private static final long MIB = 1 << 20;
    private static final int SIGABRT = 6, SIGSEGV = 11, SIGXFSZ = 25, SIGKILL = 9;

    static SandboxFixture fx;
    static VerdictPrograms programs;

    @TempDir
    Path box;

    @BeforeAll
    static void open(@TempDir Path staging) {
        fx = new SandboxFixture();
        programs = VerdictPrograms.stage(staging);
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    /** What one program should end with: the status, the limit, and the exit code or signal. */
    record Expect(Status status, Optional<String> limit, OptionalInt exitCode, OptionalInt signal, String stdout) {
        static Expect limit(Status s, String limit) {
            return new Expect(s, Optional.of(limit), OptionalInt.empty(), OptionalInt.of(SIGKILL), "");
        }

        static Expect exit(Status s, int code, String stdout) {
            return new Expect(s, Optional.empty(), OptionalInt.of(code), OptionalInt.empty(), stdout);
        }

        static Expect signal(Status s, Optional<String> limit, int signal) {
            return new Expect(s, limit, OptionalInt.empty(), OptionalInt.of(signal), "");
        }
    }

    record Case(String language, String mode, List<String> args, LimitOverrides limits, Expect expect) {
        @Override
        public String toString() {
            return language + " " + mode + (args.isEmpty() ? "" : " " + String.join(" ", args)) + " -> " + expect.status()
                    + expect.limit().map(l -> " (" + l + ")").orElse("");
        }
    }

    /** Limits for the request; 0 keeps the profile's. */
    private static LimitOverrides limits(long cpuMs, long wallMs, long memory, long pids, long output) {
        return new LimitOverrides(opt(cpuMs), opt(wallMs), opt(memory), opt(pids), opt(output));
    }

    private static OptionalLong opt(long v) {
        return v == 0 ? OptionalLong.empty() : OptionalLong.of(v);
    }

    private static Case c(String language, String mode, LimitOverrides l, Expect e, String... args) {
        return new Case(language, mode, List.of(args), l, e);
    }

    static Stream<Case> cases() {
        LimitOverrides quick = limits(0, 10_000, 0, 0, 0);
        List<Case> all = new ArrayList<>();
        for (String lang : List.of("c", "python", "java")) {
            // A JVM spends about a second of CPU starting; C and Python far less.
            long cpu = lang.equals("java") ? 3000 : 500;
            all.add(c(lang, "spin", limits(cpu, 20_000, 0, 0, 0), Expect.limit(Status.TLE, "cpu")));
            all.add(c(lang, "sleep", limits(0, lang.equals("java") ? 3000 : 500, 0, 0, 0), Expect.limit(Status.TLE, "wall")));
            // The JVM sizes its heap for grader-java's MaxRAM (768 MiB), past this limit: the cgroup decides.
            all.add(c(lang, "heap", limits(0, 20_000, (lang.equals("java") ? 192 : 64) * MIB, 0, 0),
                    Expect.signal(Status.MLE, Optional.of("memory"), SIGKILL), "512"));
            all.add(c(lang, "flood", limits(0, 10_000, 0, 0, MIB), Expect.limit(Status.OLE, "output")));
            all.add(c(lang, "exit137", quick, Expect.exit(Status.RE, 137, "")));
        }
        // C: a static (.bss) array is charged like the heap once touched.
        all.add(c("c", "static", limits(0, 10_000, 64 * MIB, 0, 0), Expect.signal(Status.MLE, Optional.of("memory"), SIGKILL)));
        // The stack stops at RLIMIT_STACK (8 MiB), far below the memory limit: the fault is SIGSEGV.
        all.add(c("c", "stack", quick, Expect.signal(Status.SG, Optional.empty(), SIGSEGV)));
        all.add(c("python", "stack", quick, Expect.signal(Status.SG, Optional.empty(), SIGSEGV), "unlimited"));
        all.add(c("python", "stack", quick, Expect.exit(Status.RE, 1, ""), "limited"));
        all.add(c("java", "stack", quick, Expect.exit(Status.RE, 1, "")));
        // Bombs: pids.max refuses the task (EAGAIN); the program's reaction decides the verdict.
        all.add(c("c", "fork", limits(0, 10_000, 0, 32, 0), Expect.exit(Status.RE, 3, "blocked fork EAGAIN")));
        all.add(c("python", "fork", limits(0, 10_000, 0, 32, 0), Expect.exit(Status.RE, 3, "blocked fork EAGAIN")));
        all.add(c("c", "threads", limits(0, 10_000, 0, 32, 0), Expect.exit(Status.RE, 3, "blocked threads EAGAIN")));
        all.add(c("python", "threads", limits(0, 10_000, 0, 32, 0), Expect.exit(Status.RE, 3, "blocked threads EAGAIN")));
        all.add(c("java", "threads", limits(0, 20_000, 0, 64, 0), Expect.exit(Status.RE, 3, "blocked threads EAGAIN")));
        // RLIMIT_FSIZE (64 MiB in every grader profile): SIGXFSZ kills a program that keeps the default
        // action; CPython and the JVM ignore SIGXFSZ, so they see EFBIG ("File too large") and decide.
        all.add(c("c", "file", quick, Expect.signal(Status.OLE, Optional.of("file-size"), SIGXFSZ), "flood.out"));
        all.add(c("python", "file", quick, Expect.exit(Status.RE, 3, "blocked write File too large"), "flood.out"));
        all.add(c("java", "file", quick, Expect.exit(Status.RE, 3, "blocked write File too large"), "flood.out"));
        for (String lang : List.of("c", "python")) {
            all.add(c(lang, "segv", quick, Expect.signal(Status.SG, Optional.empty(), SIGSEGV)));
            all.add(c(lang, "abort", quick, Expect.signal(Status.SG, Optional.empty(), SIGABRT)));
            all.add(c(lang, "orphan", quick, Expect.exit(Status.OK, 0, "note parent exits")));
            all.add(c(lang, "background", quick, Expect.exit(Status.OK, 0, "note forked into the background")));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void endsWithItsVerdictAndLeavesNothing(Case c) {
        String marker = "verdict-" + UUID.randomUUID();
        List<String> argv = new ArrayList<>(programs.command(c.language()));
        argv.add(c.mode());
        argv.addAll(c.args());
        argv.add(marker);
        RunResult r;
        try {
            r = fx.run(RunRequest.of(SandboxFixture.builtin(programs.profile(c.language())), argv).withWorkdir(box)
                    .withBinds(List.of(programs.bind())).withLimits(c.limits()));
        } finally {
            List<String> left = HostProcesses.carrying(marker);
            HostProcesses.killCarrying(marker);
            assertEquals(List.of(), left, "processes of the run survived it");
        }
        String seen = r.status() + " " + r.limit() + " exit " + r.exitCode() + " signal " + r.signal() + ": " + r.message()
                + "\n--- stdout\n" + clip(SandboxFixture.out(r)) + "--- stderr\n" + clip(SandboxFixture.err(r));
        Expect e = c.expect();
        assertEquals(e.status(), r.status(), seen);
        assertEquals(e.limit(), r.limit(), seen);
        assertEquals(e.exitCode(), r.exitCode(), seen);
        assertEquals(e.signal(), r.signal(), seen);
        assertTrue(SandboxFixture.out(r).contains(e.stdout()), seen);
        if (e.limit().equals(Optional.of("memory"))) {
            assertTrue(r.oomKilled(), seen);
        } else {
            assertFalse(r.oomKilled(), seen);
        }
    }

    private static String clip(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) + "...\n" : s;
    }
}
