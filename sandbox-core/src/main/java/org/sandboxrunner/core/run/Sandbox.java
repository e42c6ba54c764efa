package org.sandboxrunner.core.run;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.sandboxrunner.capabilities.KernelCapabilities;
import org.sandboxrunner.core.launch.LaunchPlan;
import org.sandboxrunner.core.launch.LaunchReport;
import org.sandboxrunner.core.launch.NativeLauncher;
import org.sandboxrunner.core.nativeio.Posix;
import org.sandboxrunner.policy.IdMapping;
import org.sandboxrunner.policy.Profile;

/**
 * The runner's Java API: one instance per process (or per grader service), thread-safe, each
 * {@link #run} one sandboxed execution in the documented order (docs/ARCHITECTURE.md). The CLI is a
 * thin layer over it.
 */
public final class Sandbox implements AutoCloseable {
    /** Largest captured stdout/stderr returned in a result when the profile sets no output limit. */
    private static final int CAPTURE_MAX = 64 << 20;

    private final NativeLauncher launcher;
    private final HostFacts host;
    private final PlanResolver resolver;

    private Sandbox(NativeLauncher launcher, HostFacts host) {
        this.launcher = launcher;
        this.host = host;
        this.resolver = new PlanResolver(host);
    }

    /** Verifies the native stage and reads the host's facts; fails with a message that says what to fix. */
    public static Sandbox open() {
        long uid = Posix.uid();
        RunnerDirectories dirs = RunnerDirectories.forCurrentUser(uid == 0, System.getenv());
        HostFacts host = new HostFacts(uid, Posix.gid(), kernelCapabilities(), dirs.newRoot());
        return new Sandbox(NativeLauncher.verified(), host);
    }

    private static KernelCapabilities kernelCapabilities() {
        try {
            return KernelCapabilities.read();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + KernelCapabilities.CAP_LAST_CAP + ": " + e.getMessage(), e);
        }
    }

    public RunResult run(RunRequest request) {
        String runId = UUID.randomUUID().toString();
        Profile profile = request.profile().profile();
        EffectiveLimits limits = EffectiveLimits.of(profile, request.limits());
        LaunchPlan plan;
        try {
            Enforcement enforcement = new Enforcement(CapabilityResolver.resolve(profile, host.kernel()), Optional.empty(), 0,
                    List.of(), Optional.empty());
            plan = resolver.resolve(request, limits, enforcement);
        } catch (IllegalArgumentException e) {
            throw new SandboxSetupException("resolve", e.getMessage(), Verdict.SETUP_FAILED, e);
        }
        try (WorkdirLease lease = lendWorkdir(request, profile); StdioFiles stdio = StdioFiles.open(request)) {
            LaunchReport report = launcher.launch(plan, stdio.stdio());
            Verdict v = Verdict.decide(report, 0);
            if (report.failure().isPresent()) {
                throw new SandboxSetupException(report.failure().get().step(), v.message(), v.cliExitCode(), null);
            }
            int capture = (int) Math.min(CAPTURE_MAX, limits.outputBytes().orElse(CAPTURE_MAX));
            long cpuMs = report.exit().map(x -> (x.userMicros() + x.systemMicros()) / 1000).orElse(0L);
            long maxRss = report.exit().map(x -> x.maxRssKb() * 1024).orElse(0L);
            return new RunResult(runId, v.status(), v.exitCode(), v.signal(), cpuMs,
                    report.wallMicros().orElse(0) / 1000, maxRss, maxRss, report.outputBytes(), false, v.limit(),
                    v.message(), profile.name(), request.profile().sha256(), report.steps(), Optional.empty(),
                    report.state(), stdio.captured(request, true, capture), stdio.captured(request, false, capture),
                    v.cliExitCode());
        }
    }

    private WorkdirLease lendWorkdir(RunRequest request, Profile profile) {
        if (request.workdir().isEmpty()) {
            return null;
        }
        long uid = profile.process().user().uid(), gid = profile.process().user().gid();
        long hostUid = host.root() ? toHost(profile.linux().uidMappings(), uid) : host.uid();
        long hostGid = host.root() ? toHost(profile.linux().gidMappings(), gid) : host.gid();
        return WorkdirLease.take(request.workdir().get(), hostUid, hostGid);
    }

    private static long toHost(List<IdMapping> maps, long id) {
        return maps.stream().filter(m -> m.mapsContainerId(id)).findFirst().orElseThrow().toHost(id);
    }

    @Override
    public void close() {
        // Nothing is held between runs yet; cgroups and audit logs will be.
    }

}
