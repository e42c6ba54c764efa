package org.sandboxrunner.core.run;

import java.util.Optional;
import java.util.OptionalInt;
import org.sandboxrunner.core.launch.DeniedEvent;
import org.sandboxrunner.core.launch.LaunchReport;
import org.sandboxrunner.core.launch.StepFailure;
import org.sandboxrunner.core.launch.WorkloadExit;
import org.sandboxrunner.core.nativeio.Posix;

/**
 * Decides a run's status from what the kernel and the supervisor reported, in this order: a failed
 * set-up step; a process the supervisor killed for the seccomp filter's KILL_PROCESS (its record in
 * the denied-syscall report); a limit the supervisor enforced; an OOM kill counted by the cgroup; a signal
 * (SIGSYS from the seccomp filter, SIGXCPU/SIGXFSZ from the rlimit backstops); the exit status.
 * A program that exits 137 by itself is RE: no kernel fact says a limit killed it.
 */
record Verdict(Status status, Optional<String> limit, String message, OptionalInt exitCode, OptionalInt signal,
        int cliExitCode) {

    static final int SETUP_FAILED = 125, NOT_EXECUTABLE = 126, NOT_FOUND = 127;
    private static final int SIGKILL = 9, SIGSYS = 31, SIGXCPU = 24, SIGXFSZ = 25;
    private static final int ENOENT = 2, ENOTDIR = 20;

    static Verdict decide(LaunchReport report, long oomKills) {
        if (report.failure().isPresent()) {
            return setupFailure(report.failure().get());
        }
        Optional<WorkloadExit> exit = report.exit();
        Optional<String> limit = report.limit();
        if (limit.isPresent() && limit.get().equals("runner-gone")) {
            return new Verdict(Status.XX, Optional.empty(), "the run was stopped because the runner went away",
                    OptionalInt.empty(), OptionalInt.of(SIGKILL), SETUP_FAILED);
        }
        if (limit.isPresent() && limit.get().equals("cpu-watch")) {
            return new Verdict(Status.XX, Optional.empty(), "the run was stopped because the CPU usage of its cgroup "
                    + "could not be read, so its CPU limit could not be enforced", OptionalInt.empty(),
                    OptionalInt.of(SIGKILL), SETUP_FAILED);
        }
        Optional<DeniedEvent> killedFor = report.denied().stream().filter(DeniedEvent::killed).findFirst();
        if (killedFor.isPresent()) {
            OptionalInt signal = exit.filter(e -> !e.exited()).map(e -> OptionalInt.of(e.signal())).orElse(OptionalInt.empty());
            OptionalInt code = exit.filter(WorkloadExit::exited).map(e -> OptionalInt.of(e.exitCode())).orElse(OptionalInt.empty());
            return new Verdict(Status.SC, Optional.empty(), "killed for the seccomp filter (SCMP_ACT_KILL_PROCESS on syscall "
                    + killedFor.get().nr() + "): the program made a system call the profile forbids; deniedSyscalls names it",
                    code, signal, code.isPresent() ? code.getAsInt() : 128 + signal.orElse(SIGKILL));
        }
        if (exit.isEmpty()) {
            // The supervisor killed the namespace's init (a limit), so the workload's own status was
            // never relayed; every process of the run died by SIGKILL.
            if (limit.isPresent()) {
                return limited(limit.get(), OptionalInt.of(SIGKILL));
            }
            return new Verdict(Status.XX, Optional.empty(), "the sandbox ended without reporting the workload's status "
                    + "(native stage exit " + report.helperStatus() + ")", OptionalInt.empty(), OptionalInt.empty(), SETUP_FAILED);
        }
        WorkloadExit e = exit.get();
        OptionalInt signal = e.exited() ? OptionalInt.empty() : OptionalInt.of(e.signal());
        OptionalInt code = e.exited() ? OptionalInt.of(e.exitCode()) : OptionalInt.empty();
        int cli = e.exited() ? e.exitCode() : 128 + e.signal();
        if (limit.isPresent()) {
            return limited(limit.get(), signal);
        }
        if (oomKills > 0 && (signal.isPresent() || e.exitCode() != 0)) {
            return new Verdict(Status.MLE, Optional.of("memory"), "the memory limit was reached (" + oomKills
                    + " process(es) killed by the cgroup's OOM killer)", code, signal, cli);
        }
        if (signal.isPresent()) {
            return switch (signal.getAsInt()) {
                case SIGSYS -> new Verdict(Status.SC, Optional.empty(),
                        "killed by the seccomp filter (SIGSYS): the program made a system call the profile forbids",
                        code, signal, cli);
                case SIGXCPU -> new Verdict(Status.TLE, Optional.of("cpu"), "the CPU time limit was reached (RLIMIT_CPU)",
                        code, signal, cli);
                case SIGXFSZ -> new Verdict(Status.OLE, Optional.of("file-size"),
                        "a file grew past the file size limit (RLIMIT_FSIZE)", code, signal, cli);
                default -> new Verdict(Status.SG, Optional.empty(), "killed by signal " + signal.getAsInt(), code, signal, cli);
            };
        }
        if (e.exitCode() != 0) {
            return new Verdict(Status.RE, Optional.empty(), "exited with status " + e.exitCode(), code, signal, cli);
        }
        return new Verdict(Status.OK, Optional.empty(), "exited with status 0", code, signal, 0);
    }

    private static Verdict limited(String limit, OptionalInt signal) {
        int cli = 128 + signal.orElse(SIGKILL);
        return switch (limit) {
            case "wall" -> new Verdict(Status.TLE, Optional.of("wall"), "the wall time limit was reached", OptionalInt.empty(), signal, cli);
            case "cpu" -> new Verdict(Status.TLE, Optional.of("cpu"), "the CPU time limit was reached", OptionalInt.empty(), signal, cli);
            case "output" -> new Verdict(Status.OLE, Optional.of("output"), "the output limit was reached", OptionalInt.empty(), signal, cli);
            default -> throw new IllegalStateException("the native stage reported an unknown limit '" + limit + "'");
        };
    }

    private static Verdict setupFailure(StepFailure f) {
        String error = Posix.strerror(f.errno()) + " (errno " + f.errno() + ")";
        if (f.step().equals("exec")) {
            boolean missing = f.errno() == ENOENT || f.errno() == ENOTDIR;
            return new Verdict(Status.XX, Optional.empty(), (missing ? "command not found: " : "command cannot be executed: ")
                    + f.detail() + ": " + error, OptionalInt.empty(), OptionalInt.empty(), missing ? NOT_FOUND : NOT_EXECUTABLE);
        }
        return new Verdict(Status.XX, Optional.empty(), "step '" + f.step() + "' failed: " + error
                + (f.detail().equals("-") ? "" : " on " + f.detail()) + ". " + StepAdvice.forStep(f.step(), f.errno()),
                OptionalInt.empty(), OptionalInt.empty(), SETUP_FAILED);
    }
}
