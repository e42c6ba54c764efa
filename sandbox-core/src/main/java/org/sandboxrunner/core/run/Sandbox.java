package org.sandboxrunner.core.run;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.sandboxrunner.capabilities.KernelCapabilities;
import org.sandboxrunner.core.cgroup.CgroupException;
import org.sandboxrunner.core.cgroup.CgroupLimits;
import org.sandboxrunner.core.cgroup.CgroupSystem;
import org.sandboxrunner.core.cgroup.CgroupUsage;
import org.sandboxrunner.core.cgroup.Cgroups;
import org.sandboxrunner.core.cgroup.RunCgroup;
import org.sandboxrunner.core.cgroup.SlotCgroup;
import org.sandboxrunner.core.launch.CpuWatch;
import org.sandboxrunner.core.launch.LaunchPlan;
import org.sandboxrunner.core.launch.LaunchReport;
import org.sandboxrunner.core.launch.NativeLauncher;
import org.sandboxrunner.core.nativeio.NativeException;
import org.sandboxrunner.core.nativeio.Posix;
import org.sandboxrunner.policy.Degradation;
import org.sandboxrunner.policy.IdMapping;
import org.sandboxrunner.policy.Profile;
import org.sandboxrunner.seccomp.SeccompCompiler;
import org.sandboxrunner.seccomp.SyscallNames;

/**
 * The runner's Java API: one instance per process (or per grader service), thread-safe, each
 * {@link #run} one sandboxed execution in the documented order (docs/ARCHITECTURE.md). The CLI is a
 * thin layer over it.
 */
public final class Sandbox implements AutoCloseable {
    /** Largest captured stdout/stderr returned in a result when the profile sets no output limit. */
    private static final int CAPTURE_MAX = 64 << 20;
    /** The system property that makes worker slots reuse their cgroup leaf ({@link #openSlot()}). */
    public static final String REUSE_SLOT_CGROUPS = "sandbox.reuseSlotCgroups";

    private final NativeLauncher launcher;
    private final HostFacts host;
    private final PlanResolver resolver;
    private final ProfileCompiler compiler;
    private final DeniedSyscallNames deniedNames;
    /** Why this kernel cannot serve the denied-syscall report, if it cannot. */
    private final Optional<String> listenerProblem;
    private final SandboxOptions options;
    /** Empty when this host has no usable cgroup hierarchy; {@link #cgroupProblem} says why. */
    private final Optional<CgroupSystem> cgroups;
    private final String cgroupProblem;

    private Sandbox(NativeLauncher launcher, HostFacts host, SeccompCompiler seccomp, SyscallNames names,
            SandboxOptions options, Optional<CgroupSystem> cgroups, String cgroupProblem) {
        this.launcher = launcher;
        this.host = host;
        this.resolver = new PlanResolver(host);
        this.compiler = new ProfileCompiler(host.kernel(), seccomp, names);
        this.deniedNames = new DeniedSyscallNames(names);
        this.listenerProblem = seccomp.library().userNotification() ? Optional.empty() : Optional.of(
                "this kernel has no seccomp user notification, which the denied-syscall report needs (" + seccomp.library() + ")");
        this.options = options;
        this.cgroups = cgroups;
        this.cgroupProblem = cgroupProblem;
    }

    public static Sandbox open() {
        return open(SandboxOptions.defaults());
    }

    /**
     * Verifies the native stage, reads the host's facts, finds the cgroup hierarchy and removes the
     * cgroups that runners which died left behind (killing what still runs in them).
     */
    public static Sandbox open(SandboxOptions options) {
        long uid = Posix.uid();
        RunnerDirectories dirs = RunnerDirectories.forCurrentUser(uid == 0, System.getenv());
        HostFacts host = new HostFacts(uid, Posix.gid(), kernelCapabilities(), dirs.newRoot());
        Optional<CgroupSystem> cgroups;
        String problem = "";
        try {
            CgroupSystem system = Cgroups.detect();
            system.removeStale();
            cgroups = Optional.of(system);
        } catch (CgroupException e) {
            cgroups = Optional.empty();
            problem = e.getMessage();
        }
        return new Sandbox(NativeLauncher.verified(), host, SeccompCompiler.create(), SyscallNames.create(), options, cgroups,
                problem);
    }

    private static KernelCapabilities kernelCapabilities() {
        try {
            return KernelCapabilities.read();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + KernelCapabilities.CAP_LAST_CAP + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs one request. Set-up failures (nothing of the workload ran) throw {@link SandboxSetupException}
     * naming the step; everything that happened after exec is in the result.
     */
    public RunResult run(RunRequest request) {
        return run(request, Optional.empty());
    }

    /**
     * A worker slot: runs one request at a time. A batch worker or a grader thread holds one for its
     * lifetime and closes it when it ends. With the system property {@value #REUSE_SLOT_CGROUPS} set
     * to true each slot reuses one cgroup leaf from run to run; by default every run gets a fresh
     * leaf, as with {@link #run}, because on this project's v1 host a run in a reused leaf measured
     * slower than in a fresh one (docs/performance.md).
     */
    public WorkerSlot openSlot() {
        boolean reuse = Boolean.getBoolean(REUSE_SLOT_CGROUPS);
        return new WorkerSlot(this, cgroups.filter(c -> reuse).map(CgroupSystem::openSlot));
    }

    /** One run, in the slot's cgroup leaf when a slot is given, otherwise in a leaf of its own. */
    RunResult run(RunRequest request, Optional<SlotCgroup> slot) {
        String runId = UUID.randomUUID().toString();
        Profile profile = request.profile().profile();
        EffectiveLimits limits = EffectiveLimits.of(profile, request.limits());
        RunAudit audit = new RunAudit(options.audit(), runId, request.profile(), request.command());
        audit.start(limits);
        try {
            return run(runId, request, profile, limits, audit, slot);
        } catch (SandboxSetupException e) {
            audit.failedStep(e.step(), e.getMessage(), e.exitCode());
            throw e;
        }
    }

    private RunResult run(String runId, RunRequest request, Profile profile, EffectiveLimits limits, RunAudit audit,
            Optional<SlotCgroup> slot) {
        ProfileCompiler.Compiled compiled = compiler.compile(request.profile());
        ReportSwitch reporting = ReportSwitch.decide(request.reportDeniedSyscalls(), compiled.reportOff(), listenerProblem,
                profile);
        if (reporting.degraded()) {
            audit.degraded("seccomp-listener", reporting.off().get() + "; the run has no denied-syscall report");
        }
        ProfileCompiler.SeccompLoad seccomp = compiled.load(reporting.off());
        // ImageStage is touched only for a run with an image: loading it loads the image and trust
        // classes its code names, which a plain run must not pay for (checked with -Xlog:class+load).
        Optional<ImageRoot> image = profile.image().isPresent()
                ? Optional.of(ImageStage.prepare(profile.image().get())) : Optional.empty();
        image.ifPresent(audit::image);
        try (RunCgroup cgroup = createCgroup(profile, limits, audit, slot);
                WorkdirBox box = openBox(request, profile)) {
            Optional<CpuWatch> cpu = Optional.empty();
            if (cgroup != null && limits.cpuTimeMs().isPresent()) {
                // A reused slot leaf's usage file may start above zero (v2 cpu.stat never resets).
                long limitMicros = limits.cpuTimeMs().getAsLong() * 1000 + cgroup.cpuBaselineNanos() / 1000;
                cpu = Optional.of(new CpuWatch(limitMicros, cgroup.cpuUsageFile().path(),
                        CpuWatch.Format.valueOf(cgroup.cpuUsageFile().format().name())));
            }
            LaunchPlan plan;
            try {
                plan = resolver.resolve(request, limits,
                        new Enforcement(compiled.capabilities(), seccomp.program(), seccomp.flags(),
                                cgroup == null ? List.of() : cgroup.procsFiles(), cpu, image, seccomp.report(),
                                box == null ? OptionalInt.empty() : box.helperFd()));
            } catch (IllegalArgumentException e) {
                throw new SandboxSetupException("resolve", e.getMessage(), Verdict.SETUP_FAILED, e);
            }
            if (resolver.degradesIdMapping(profile)) {
                audit.degraded("id-mapping", "the runner is not root: the workload's uid and gid are mapped onto the "
                        + "runner's own (" + host.uid() + ":" + host.gid() + ") instead of the profile's "
                        + "linux.uidMappings/gidMappings");
            }
            try (StdioFiles stdio = StdioFiles.open(request)) {
                LaunchReport report;
                try {
                    report = launcher.launch(plan, stdio.stdio(), box == null ? Map.of() : box.inherited());
                } catch (NativeException | IllegalStateException e) {
                    // The native stage could not be started, or its server died before answering: the
                    // run's outcome is not known for sure, so it is a set-up failure, audited as one.
                    throw new SandboxSetupException("launch", "the native stage failed: " + e.getMessage(),
                            Verdict.SETUP_FAILED, e);
                }
                if (box != null) {
                    // Every process of the run is dead (its init was pid 1): the upper layer is final.
                    box.copyBack().ifPresent(audit::copyBack);
                }
                Optional<CgroupUsage> usage = usage(cgroup);
                Verdict v = Verdict.decide(report, usage.map(CgroupUsage::oomKills).orElse(0L));
                audit.steps(report.steps());
                report.state().ifPresent(s -> audit.state(s, report.differences()));
                if (!report.differences().isEmpty()) {
                    throw new SandboxSetupException("verify-state", "the kernel's state differs from the plan, so the "
                            + "workload was not started: " + report.differences().stream().map(Object::toString)
                            .collect(java.util.stream.Collectors.joining("; ")), Verdict.SETUP_FAILED, null,
                            StateProof.of(report.state().orElseThrow(), report.differences()));
                }
                if (report.failure().isPresent()) {
                    throw new SandboxSetupException(report.failure().get().step(), v.message(), v.cliExitCode(), null);
                }
                DeniedSyscalls denied = reporting.off().isPresent() ? DeniedSyscalls.off(reporting.off().get())
                        : deniedNames.name(report.denied(), report.deniedDropped());
                if (compiled.seccomp().isPresent()) {
                    audit.denied(denied);
                }
                int capture = (int) Math.min(CAPTURE_MAX, limits.outputBytes().orElse(CAPTURE_MAX));
                long rusageCpuMs = report.exit().map(x -> (x.userMicros() + x.systemMicros()) / 1000).orElse(0L);
                long maxRss = report.exit().map(x -> x.maxRssKb() * 1024).orElse(0L);
                RunResult result = new RunResult(runId, v.status(), v.exitCode(), v.signal(),
                        usage.map(u -> u.cpuTimeNanos() / 1_000_000).orElse(rusageCpuMs),
                        report.wallMicros().orElse(0) / 1000,
                        usage.flatMap(u -> u.memoryPeakBytes().isPresent() ? Optional.of(u.memoryPeakBytes().getAsLong())
                                : Optional.empty()).orElse(maxRss),
                        maxRss, report.outputBytes(), usage.map(u -> u.oomKills() > 0).orElse(false), v.limit(),
                        v.message(), profile.name(), request.profile().sha256(), report.steps(), Optional.empty(),
                        report.state(), image, stdio.captured(request, true, capture), stdio.captured(request, false, capture),
                        v.cliExitCode(), denied);
                audit.outcome(result);
                return result;
            }
        } catch (CgroupException e) {
            throw new SandboxSetupException("cgroup", "the run's cgroup failed: " + e.getMessage(), Verdict.SETUP_FAILED, e);
        }
    }

    /** The run's cgroup, or null when this host has none and the profile allows running without. */
    private RunCgroup createCgroup(Profile profile, EffectiveLimits limits, RunAudit audit, Optional<SlotCgroup> slot)
            throws CgroupException {
        if (cgroups.isPresent()) {
            CgroupLimits cgroupLimits;
            try {
                cgroupLimits = CgroupLimits.fromResources(limits.resources(profile));
            } catch (IllegalArgumentException e) {
                throw new SandboxSetupException("cgroup", e.getMessage(), Verdict.SETUP_FAILED, e);
            }
            return slot.isPresent() ? slot.get().lease(cgroupLimits) : cgroups.get().create("run", cgroupLimits);
        }
        String reason = "no usable cgroup hierarchy: " + cgroupProblem;
        if (!profile.degrade().contains(Degradation.CGROUPS)) {
            throw new SandboxSetupException("cgroup", reason + "; the profile does not allow running without cgroups "
                    + "(add 'cgroups' to its degrade list to run without memory, pids and exact CPU limits)",
                    Verdict.SETUP_FAILED, null);
        }
        audit.degraded("cgroups", reason + "; memory and pids limits are not enforced, CPU time is limited per process "
                + "by RLIMIT_CPU only");
        return null;
    }

    private static Optional<CgroupUsage> usage(RunCgroup cgroup) throws CgroupException {
        if (cgroup == null) {
            return Optional.empty();
        }
        // Every process of the run is dead once the init is (pid namespace); read before removal.
        return Optional.of(cgroup.usage());
    }

    /** The box over the request's work directory, owned by the sandbox user's host ids; null without one. */
    private WorkdirBox openBox(RunRequest request, Profile profile) {
        if (request.workdir().isEmpty()) {
            return null;
        }
        long uid = profile.process().user().uid(), gid = profile.process().user().gid();
        long hostUid = host.root() ? toHost(profile.linux().uidMappings(), uid) : host.uid();
        long hostGid = host.root() ? toHost(profile.linux().gidMappings(), gid) : host.gid();
        return WorkdirBox.open(request.workdir().get(), host.root(), profile.filesystem().tmpSizeBytes(), hostUid, hostGid);
    }

    private static long toHost(List<IdMapping> maps, long id) {
        return maps.stream().filter(m -> m.mapsContainerId(id)).findFirst().orElseThrow().toHost(id);
    }

    /**
     * Ends every run of this Sandbox now, and any started later (for a runner asked to stop): each
     * native stage kills its run, and each {@link #run} returns and removes the run's cgroup and box.
     */
    public void stopRuns() {
        launcher.stopAll();
    }

    /**
     * Ends the native stage's idle fork servers (each busy one when its run ends). Runs hold their own
     * resources (cgroup leaf, descriptors) and release them when they end; the audit log belongs to
     * the caller. A Sandbox that is never closed leaves its servers until the JVM exits, when they end
     * on their own.
     */
    @Override
    public void close() {
        launcher.close();
    }
}
