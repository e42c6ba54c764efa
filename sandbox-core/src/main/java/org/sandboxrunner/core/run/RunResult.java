package org.sandboxrunner.core.run;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.sandboxrunner.core.launch.ObservedState;

/**
 * The outcome of one run.
 *
 * @param exitCode     the workload's exit status, when it exited
 * @param signal       the signal that killed it, when one did
 * @param limit        the limit that fired: {@code cpu}, {@code wall}, {@code memory}, {@code output},
 *                     {@code file-size}
 * @param steps        the pipeline steps that completed, in order
 * @param failedStep   the step that failed, for XX
 * @param state        what the kernel held for the workload just before exec
 * @param image        the verified image that ran: digest, key id, trust requirement
 * @param stdout       captured stdout (empty unless the request asked to capture it)
 * @param deniedSyscalls the syscalls the seccomp filter refused (or why that report was off)
 */
public record RunResult(String runId, Status status, OptionalInt exitCode, OptionalInt signal, long cpuTimeMs,
        long wallTimeMs, long memoryPeakBytes, long maxRssBytes, long outputBytes, boolean oomKilled,
        Optional<String> limit, String message, String profileName, String profileSha256, List<String> steps,
        Optional<String> failedStep, Optional<ObservedState> state, Optional<ImageRoot> image, byte[] stdout, byte[] stderr,
        int cliExitCode, DeniedSyscalls deniedSyscalls) {

    public RunResult {
        steps = List.copyOf(steps);
        stdout = stdout.clone();
        stderr = stderr.clone();
        Objects.requireNonNull(deniedSyscalls, "deniedSyscalls");
    }

    @Override
    public byte[] stdout() {
        return stdout.clone();
    }

    @Override
    public byte[] stderr() {
        return stderr.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunResult r && runId.equals(r.runId) && status == r.status && exitCode.equals(r.exitCode)
                && signal.equals(r.signal) && cpuTimeMs == r.cpuTimeMs && wallTimeMs == r.wallTimeMs
                && memoryPeakBytes == r.memoryPeakBytes && maxRssBytes == r.maxRssBytes && outputBytes == r.outputBytes
                && oomKilled == r.oomKilled && limit.equals(r.limit) && message.equals(r.message)
                && profileName.equals(r.profileName) && profileSha256.equals(r.profileSha256) && steps.equals(r.steps)
                && failedStep.equals(r.failedStep) && state.equals(r.state) && image.equals(r.image) && Arrays.equals(stdout, r.stdout)
                && Arrays.equals(stderr, r.stderr) && cliExitCode == r.cliExitCode && deniedSyscalls.equals(r.deniedSyscalls);
    }

    @Override
    public int hashCode() {
        return runId.hashCode();
    }
}
