package org.sandboxrunner.tests.escape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.sandboxrunner.core.run.RunResult;
import org.sandboxrunner.core.run.Status;
import org.sandboxrunner.tests.SandboxFixture;

/**
 * What one run of a hostile program gave, inside the sandbox or outside it, read through the
 * programs' protocol (resources/hostile/hostile.h): lines {@code worked STEP ...}, {@code blocked STEP
 * WHY}, {@code note STEP ...}, {@code broken STEP WHY}; exit 0 when a step worked, 3 when none did, 4
 * when the program could not try.
 *
 * @param where  "inside PROFILE" or "outside", for messages
 * @param result the sandbox's result, for runs inside
 */
record Outcome(String where, OptionalInt exitCode, OptionalInt signal, Optional<RunResult> result, String stdout,
        String stderr) {

    static final int WORKED = 0;
    static final int BLOCKED = 3;
    private static final int SIGSYS = 31, SIGKILL = 9;

    static Outcome inside(String profile, RunResult r) {
        return new Outcome("inside " + profile, r.exitCode(), r.signal(), Optional.of(r), SandboxFixture.out(r),
                SandboxFixture.err(r));
    }

    static Outcome outside(int exitValue, String stdout, String stderr) {
        // Process.exitValue() is 128+N for a process killed by signal N.
        OptionalInt signal = exitValue > 128 ? OptionalInt.of(exitValue - 128) : OptionalInt.empty();
        return new Outcome("outside", OptionalInt.of(exitValue), signal, Optional.empty(), stdout, stderr);
    }

    RunResult run() {
        return result.orElseThrow(() -> new AssertionError("not a run inside the sandbox: " + this));
    }

    Status status() {
        return run().status();
    }

    /** The steps reported with this kind ({@code worked}, {@code blocked}, {@code note}). */
    List<String> steps(String kind) {
        return lines(kind).stream().map(l -> l.split(" ", 3)[1]).toList();
    }

    List<String> lines(String kind) {
        return stdout.lines().filter(l -> l.startsWith(kind + " ")).toList();
    }

    /** Why a step was blocked (an errno name such as EPERM, or a word), if it was. */
    Optional<String> why(String step) {
        return lines("blocked").stream().map(l -> l.split(" ", 3)).filter(p -> p[1].equals(step) && p.length == 3)
                .map(p -> p[2]).findFirst();
    }

    boolean worked() {
        return exitCode.isPresent() && exitCode.getAsInt() == WORKED;
    }

    /** The attempt was made and every step was refused. */
    Outcome assertBlocked() {
        assertTrue(lines("broken").isEmpty(), () -> "the hostile program could not even try: " + this);
        assertEquals(List.of(), lines("worked"), () -> "ESCAPE " + where + ": " + this);
        assertEquals(OptionalInt.of(BLOCKED), exitCode, () -> "expected every step refused: " + this);
        if (result.isPresent()) {
            assertEquals(Status.RE, status(), () -> "status: " + this);
        }
        return this;
    }

    /**
     * The attempt was refused step by step, or the seccomp filter killed it (status SC): by SIGSYS from
     * the kernel (KILL_THREAD, TRAP), or by SIGKILL from the supervisor for a KILL_PROCESS, which the
     * denied-syscall report then records.
     */
    Outcome assertBlockedOrKilledByFilter() {
        if (result.isPresent() && status() == Status.SC) {
            boolean recorded = result.get().deniedSyscalls().killed();
            assertTrue(signal.equals(OptionalInt.of(SIGSYS)) || recorded && signal.equals(OptionalInt.of(SIGKILL)),
                    () -> "SC without SIGSYS or a recorded KILL_PROCESS: " + this);
            assertEquals(List.of(), lines("worked"), () -> "ESCAPE " + where + " before the filter fired: " + this);
            return this;
        }
        return assertBlocked();
    }

    /** The same attempt did what it tried: outside, this proves the attempt itself works. */
    Outcome assertWorked() {
        assertTrue(lines("broken").isEmpty(), () -> "the hostile program could not even try: " + this);
        if (!worked()) {
            fail("the attempt did not work " + where + ", so a refusal inside proves nothing: " + this);
        }
        return this;
    }

    void assertRefusedWith(String step, String... errnos) {
        String seen = why(step).orElseThrow(() -> new AssertionError("no 'blocked " + step + "' line " + where + ": " + this));
        assertTrue(List.of(errnos).contains(seen), () -> step + " was refused with " + seen + ", expected one of "
                + List.of(errnos) + " " + where + ": " + this);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(where);
        exitCode.ifPresent(c -> sb.append(", exit ").append(c));
        signal.ifPresent(s -> sb.append(", signal ").append(s));
        result.ifPresent(r -> sb.append(", status ").append(r.status()).append(r.limit().map(l -> " (" + l + ")").orElse(""))
                .append(", ").append(r.message()));
        sb.append("\n--- stdout\n").append(clip(stdout)).append("--- stderr\n").append(clip(stderr));
        return sb.toString();
    }

    private static String clip(String s) {
        return s.length() > 4000 ? s.substring(0, 4000) + "...(" + s.length() + " chars)\n" : s;
    }
}
