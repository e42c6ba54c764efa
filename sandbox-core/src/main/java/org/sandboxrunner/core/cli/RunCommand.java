package org.sandboxrunner.core.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.ToLongBiFunction;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.Callable;
import org.sandboxrunner.core.run.Bind;
import org.sandboxrunner.core.run.Input;
import org.sandboxrunner.core.run.LimitOverrides;
import org.sandboxrunner.core.run.Output;
import org.sandboxrunner.core.run.Profiles;
import org.sandboxrunner.core.run.ResolvedProfile;
import org.sandboxrunner.core.run.ResultJson;
import org.sandboxrunner.core.run.RunRequest;
import org.sandboxrunner.core.run.RunResult;
import org.sandboxrunner.core.run.Sandbox;
import org.sandboxrunner.core.run.SandboxOptions;
import org.sandboxrunner.core.run.SandboxSetupException;
import org.sandboxrunner.audit.AuditLog;
import org.sandboxrunner.policy.ImageSpec;
import org.sandboxrunner.policy.ProfileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs COMMAND in a sandbox built from a profile.",
            "Exit status: the command's own; 128+N when killed by signal N (a limit included); "
                + "125 when the sandbox could not be set up; 126 when COMMAND is not executable; 127 when it is not found."})
final class RunCommand implements Callable<Integer> {
    /** Where containers-policy.json(5) says the system's trust policy is. */
    private static final String DEFAULT_TRUST_POLICY = "/etc/containers/policy.json";

    @Spec
    CommandSpec spec;

    @Option(names = "--profile", paramLabel = "NAME|FILE", defaultValue = "default",
            description = "A built-in profile, a YAML/JSON file, or oci:PATH (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--image", paramLabel = "oci:DIR[:TAG|@sha256:...]",
            description = "Runs on this OCI image layout (its layers under a throwaway upper layer) instead of the host's "
                + "read-only view; refused unless the trust policy accepts it.")
    String image;

    @Option(names = "--trust-policy", paramLabel = "FILE",
            description = "containers-policy.json(5) for --image (default: the profile's, else /etc/containers/policy.json).")
    Path trustPolicy;

    @Option(names = "--workdir", paramLabel = "DIR", description = "Bound read-write at /box and used as the working directory.")
    Path workdir;

    @Option(names = "--bind", paramLabel = "SRC:DST[:ro|rw]", description = "An extra bind mount (read-write unless :ro).")
    List<String> binds = new ArrayList<>();

    @Option(names = "--env", paramLabel = "K=V", description = "Adds or replaces an environment variable.")
    List<String> env = new ArrayList<>();

    @Option(names = "--stdin", paramLabel = "FILE", description = "The command's stdin (default: this terminal's).")
    Path stdin;

    @Option(names = "--stdout", paramLabel = "FILE", description = "Where the command's stdout goes (default: here).")
    Path stdout;

    @Option(names = "--stderr", paramLabel = "FILE", description = "Where the command's stderr goes (default: here).")
    Path stderr;

    @Option(names = "--time-limit", paramLabel = "SECONDS", description = "CPU time limit of all its processes, e.g. 2 or 0.5.")
    String timeLimit;

    @Option(names = "--wall-limit", paramLabel = "SECONDS", description = "Wall time limit from exec.")
    String wallLimit;

    @Option(names = "--memory-limit", paramLabel = "SIZE", description = "Memory limit, e.g. 256M (K, M, G: powers of 1024).")
    String memoryLimit;

    @Option(names = "--pids-limit", paramLabel = "N", description = "Most processes and threads at once.")
    String pidsLimit;

    @Option(names = "--output-limit", paramLabel = "SIZE", description = "Most bytes of stdout and stderr together.")
    String outputLimit;

    @Option(names = "--result", paramLabel = "FILE", description = "Writes the run's result as JSON.")
    Path result;

    @Option(names = "--audit", paramLabel = "FILE",
            description = "Appends the run's audit events to this hash-chained log (default: the profile's audit.log).")
    Path audit;

    @Option(names = "--audit-key", paramLabel = "FILE",
            description = "Ed25519 key that signs the log's checkpoints (default: the profile's audit.signingKey).")
    Path auditKey;

    @Option(names = "--show-state", description = "Prints, on stderr, what the kernel held before exec next to what the profile asked.")
    boolean showState;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments (after --).")
    List<String> command;

    /** How long a run may take to end after SIGINT or SIGTERM before the runner exits regardless. */
    private static final long STOP_GRACE_MS = 2000;

    /** Set by the first SIGINT or SIGTERM. */
    private final AtomicReference<String> stoppedBy = new AtomicReference<>();
    /** The open Sandbox, for the signal handler to stop its run. */
    private final AtomicReference<Sandbox> sandbox = new AtomicReference<>();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        // The JVM's own SIGINT handler (Ctrl-C) exits at once: the native stage would kill the run on
        // its lifeline's EOF, but the run's cgroup and box would be left behind. Instead the run is
        // stopped through its lifeline and returns here, cleaning up; should that take longer than the
        // grace time, the JVM exits as it would have.
        StopSignals signals = StopSignals.install(name -> {
            if (stoppedBy.compareAndSet(null, name)) {
                Sandbox s = sandbox.get();
                if (s != null) {
                    s.stopRuns();
                }
                Thread exit = new Thread(() -> {
                    try {
                        Thread.sleep(STOP_GRACE_MS);
                    } catch (InterruptedException e) {
                        return;
                    }
                    err.println("sandbox: stopped by SIG" + name);
                    err.flush();
                    System.exit(BatchCommand.INTERRUPTED);
                }, "sandbox-stop");
                exit.setDaemon(true);
                exit.start();
            }
        });
        try {
            int code = run(err);
            if (stoppedBy.get() != null) {
                err.println("sandbox: stopped by SIG" + stoppedBy.get());
                err.flush();
                return BatchCommand.INTERRUPTED;
            }
            return code;
        } finally {
            signals.restore();
        }
    }

    private int run(PrintWriter err) {
        String runId = UUID.randomUUID().toString();
        ResolvedProfile resolved = null;
        try {
            ResolvedProfile loaded = withImage(Profiles.load(profile));
            resolved = loaded;
            RunRequest request = request(loaded);
            try (AuditLog log = AuditSetup.open(audit, auditKey, loaded.profile());
                    Sandbox sandbox = Sandbox.open(log == null ? SandboxOptions.defaults() : SandboxOptions.defaults().withAudit(log))) {
                this.sandbox.set(sandbox);
                if (stoppedBy.get() != null) {
                    sandbox.stopRuns(); // the signal came while the sandbox opened
                }
                RunResult r = sandbox.run(request);
                if (result != null) {
                    ResultJson.of(r).write(result);
                }
                if (showState) {
                    r.state().ifPresent(s -> err.print(StateReport.render(loaded, s)));
                    err.flush();
                }
                return r.cliExitCode();
            }
        } catch (SandboxSetupException e) {
            return setupFailed(err, runId, e, resolved);
        } catch (ProfileException e) {
            return setupFailed(err, runId, new SandboxSetupException("profile", e.getMessage(), ExitCodes.USAGE, e), null);
        } catch (IOException | UncheckedIOException e) {
            return setupFailed(err, runId, new SandboxSetupException("audit", e.getMessage(), ExitCodes.USAGE, e), resolved);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return setupFailed(err, runId, new SandboxSetupException("resolve", e.getMessage(), ExitCodes.USAGE, e), resolved);
        }
    }

    private int setupFailed(PrintWriter err, String runId, SandboxSetupException e, ResolvedProfile p) {
        err.println("sandbox: " + e.getMessage());
        err.flush();
        if (result != null) {
            ResultJson.setupFailure(runId, e, p == null ? null : p.name(), p == null ? null : p.sha256()).write(result);
        }
        return e.exitCode();
    }

    private ResolvedProfile withImage(ResolvedProfile p) {
        if (image == null) {
            return p;
        }
        Path policy = trustPolicy != null ? trustPolicy.toAbsolutePath()
                : p.profile().image().map(i -> Path.of(i.trustPolicy())).orElse(Path.of(DEFAULT_TRUST_POLICY));
        return Profiles.resolve(p.profile().withImage(new ImageSpec(image, policy.toString())));
    }

    private RunRequest request(ResolvedProfile p) {
        Path cwd = Path.of("").toAbsolutePath();
        List<Bind> parsed = new ArrayList<>();
        binds.forEach(b -> parsed.add(Bind.parse(b, cwd)));
        LimitOverrides limits = new LimitOverrides(
                option("--time-limit", timeLimit, Quantities::secondsToMillis),
                option("--wall-limit", wallLimit, Quantities::secondsToMillis),
                option("--memory-limit", memoryLimit, Quantities::bytes),
                option("--pids-limit", pidsLimit, Quantities::positive),
                option("--output-limit", outputLimit, Quantities::bytes));
        return new RunRequest(p, command, Optional.ofNullable(workdir).map(w -> cwd.resolve(w).normalize()), parsed, env,
                stdin == null ? Input.inherit() : Input.file(cwd.resolve(stdin)),
                stdout == null ? Output.inherit() : Output.file(cwd.resolve(stdout)),
                stderr == null ? Output.inherit() : Output.file(cwd.resolve(stderr)), limits);
    }

    /** A limit option's value, parsed and checked when it was given. */
    private static OptionalLong option(String name, String value, ToLongBiFunction<String, String> parse) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(parse.applyAsLong(name, value));
    }
}
