package org.sandboxrunner.core.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One run, as a caller asks for it: the profile, the command and what the caller adds to the profile.
 *
 * @param workdir bound read-write at the profile's box directory; empty gives a private tmpfs there
 * @param env     {@code KEY=VALUE} entries added to (or replacing in) the profile's environment
 * @param reportDeniedSyscalls whether the run reports the syscalls its seccomp filter refuses
 *                (docs/seccomp.md); on by default. Off, the workload loads the profile's filter as it is.
 */
public record RunRequest(ResolvedProfile profile, List<String> command, Optional<Path> workdir, List<Bind> binds,
        List<String> env, Input stdin, Output stdout, Output stderr, LimitOverrides limits, boolean reportDeniedSyscalls) {

    public RunRequest {
        Objects.requireNonNull(profile, "profile");
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command to run");
        }
        Objects.requireNonNull(workdir, "workdir");
        workdir.ifPresent(w -> {
            if (!w.isAbsolute()) {
                throw new IllegalArgumentException("workdir must be absolute: " + w);
            }
        });
        binds = List.copyOf(binds);
        env = List.copyOf(env);
        for (String e : env) {
            if (e.indexOf('=') <= 0) {
                throw new IllegalArgumentException("environment entries take KEY=VALUE, got '" + e + "'");
            }
        }
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(limits, "limits");
    }

    /** A request that reports denied syscalls, as most callers want. */
    public RunRequest(ResolvedProfile profile, List<String> command, Optional<Path> workdir, List<Bind> binds,
            List<String> env, Input stdin, Output stdout, Output stderr, LimitOverrides limits) {
        this(profile, command, workdir, binds, env, stdin, stdout, stderr, limits, true);
    }

    /** A request with the Java API's defaults: no workdir, no binds, stdin empty, output captured. */
    public static RunRequest of(ResolvedProfile profile, List<String> command) {
        return new RunRequest(profile, command, Optional.empty(), List.of(), List.of(), Input.empty(),
                Output.capture(), Output.capture(), LimitOverrides.none());
    }

    public RunRequest withWorkdir(Path dir) {
        return new RunRequest(profile, command, Optional.of(dir), binds, env, stdin, stdout, stderr, limits, reportDeniedSyscalls);
    }

    public RunRequest withLimits(LimitOverrides l) {
        return new RunRequest(profile, command, workdir, binds, env, stdin, stdout, stderr, l, reportDeniedSyscalls);
    }

    public RunRequest withStdio(Input in, Output out, Output err) {
        return new RunRequest(profile, command, workdir, binds, env, in, out, err, limits, reportDeniedSyscalls);
    }

    public RunRequest withBinds(List<Bind> b) {
        return new RunRequest(profile, command, workdir, b, env, stdin, stdout, stderr, limits, reportDeniedSyscalls);
    }

    public RunRequest withEnv(List<String> e) {
        return new RunRequest(profile, command, workdir, binds, e, stdin, stdout, stderr, limits, reportDeniedSyscalls);
    }

    public RunRequest withDeniedSyscallReport(boolean on) {
        return new RunRequest(profile, command, workdir, binds, env, stdin, stdout, stderr, limits, on);
    }
}
