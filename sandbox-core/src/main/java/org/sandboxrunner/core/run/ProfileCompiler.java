package org.sandboxrunner.core.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.sandboxrunner.capabilities.KernelCapabilities;
import org.sandboxrunner.core.launch.CapabilityPlan;
import org.sandboxrunner.core.nativeio.Posix;
import org.sandboxrunner.policy.SeccompSpec;
import org.sandboxrunner.seccomp.CompiledFilter;
import org.sandboxrunner.seccomp.DeniedReportFilter;
import org.sandboxrunner.seccomp.ProgramCache;
import org.sandboxrunner.seccomp.SeccompCompiler;
import org.sandboxrunner.seccomp.SyscallNames;

/**
 * Compiles what a profile asks of the kernel into what the native stage applies: capability bitmaps and
 * the seccomp BPF program. A profile is identified by its canonical hash, so each one is compiled once
 * per runner and every later run reuses the result (the per-run path then only copies bytes). The
 * seccomp program also outlives the runner: it is kept in a {@link ProgramCache} next to the runner's
 * other state, so that a new runner process ({@code sandbox run} starts a JVM each time) does not
 * compile and check it again. Everything else is worked out from the program each time, so a
 * compiled profile is the same whether its program was stored or compiled.
 */
final class ProfileCompiler {
    /**
     * What one profile compiles to: the profile's own seccomp program and load flags, and its notifying
     * copy for the denied-syscall report, or why the report cannot run with this profile.
     */
    record Compiled(CapabilityPlan capabilities, Optional<byte[]> seccomp, int seccompFlags, List<String> skippedSyscalls,
            Optional<byte[]> notifyingCopy, Optional<String> reportOff) {
        Compiled {
            skippedSyscalls = List.copyOf(skippedSyscalls);
            if (notifyingCopy.isPresent() == reportOff.isPresent()) {
                throw new IllegalArgumentException("a compiled profile has a notifying copy or a reason it has none");
            }
        }

        /**
         * What the native stage loads for one run: with the report, the notifying copy with
         * NEW_LISTENER and the original for the supervisor; with {@code off}, the original as it is.
         */
        SeccompLoad load(Optional<String> off) {
            if (off.isPresent()) {
                return new SeccompLoad(seccomp, seccompFlags, Optional.empty());
            }
            return new SeccompLoad(notifyingCopy, seccompFlags | DeniedReportFilter.NEW_LISTENER, seccomp);
        }
    }

    /**
     * @param program what the workload loads
     * @param report  the profile's own program, for the supervisor, when the run reports denied syscalls
     */
    record SeccompLoad(Optional<byte[]> program, int flags, Optional<byte[]> report) {}

    static final String NO_FILTER = "the profile has no seccomp filter";
    /** The program cache's directory under the runner's state directory ({@link RunnerDirectories}). */
    static final String PROGRAM_CACHE = "seccomp-programs";

    private final KernelCapabilities kernel;
    private final ProgramCache programs;
    private final SyscallNames names;
    private final ConcurrentMap<String, Compiled> cache = new ConcurrentHashMap<>();

    /** With the program cache of the runner's uid, whose refusals are logged as warnings. */
    ProfileCompiler(KernelCapabilities kernel, SeccompCompiler seccomp, SyscallNames names) {
        this(kernel, programCache(seccomp), names);
    }

    ProfileCompiler(KernelCapabilities kernel, ProgramCache programs, SyscallNames names) {
        this.kernel = kernel;
        this.programs = programs;
        this.names = names;
    }

    private static ProgramCache programCache(SeccompCompiler seccomp) {
        int uid = Posix.uid();
        Path dir = RunnerDirectories.forCurrentUser(uid == 0, System.getenv()).state().resolve(PROGRAM_CACHE);
        System.Logger log = System.getLogger(ProfileCompiler.class.getName());
        return new ProgramCache(seccomp, dir, uid, warning -> log.log(System.Logger.Level.WARNING, warning));
    }

    Compiled compile(ResolvedProfile p) {
        return cache.computeIfAbsent(p.sha256(), hash -> compileNow(p));
    }

    private Compiled compileNow(ResolvedProfile resolved) {
        CapabilityPlan caps;
        try {
            caps = CapabilityResolver.resolve(resolved.profile(), kernel);
        } catch (IllegalArgumentException e) {
            throw new SandboxSetupException("capabilities", e.getMessage(), Verdict.SETUP_FAILED, e);
        }
        Optional<SeccompSpec> spec = resolved.profile().linux().seccomp();
        if (spec.isEmpty()) {
            return new Compiled(caps, Optional.empty(), 0, List.of(), Optional.empty(),
                    Optional.of(NO_FILTER));
        }
        CompiledFilter filter;
        try {
            filter = programs.compile(spec.get(), resolved.sha256()).filter();
        } catch (RuntimeException e) {
            throw new SandboxSetupException("seccomp", "linux.seccomp cannot be compiled: " + e.getMessage(),
                    Verdict.SETUP_FAILED, e);
        }
        if (filter.usesNotify()) {
            // A notifying filter makes the kernel wait for a listener; until the supervisor serves one,
            // such a profile would hang its own workload: refuse it rather than run it half-applied.
            throw new SandboxSetupException("seccomp", "linux.seccomp: SCMP_ACT_NOTIFY rules are not supported by this "
                    + "runner yet; use SCMP_ACT_ERRNO or SCMP_ACT_KILL_PROCESS", Verdict.SETUP_FAILED, null);
        }
        // With a blocker the report is off for this profile (never a hang): the filter itself still decides.
        Optional<String> blocker = DeniedReportFilter.blocker(filter, names);
        return new Compiled(caps, Optional.of(filter.bytes()), filter.loadFlags(), filter.skippedSyscalls(),
                blocker.isPresent() ? Optional.empty() : Optional.of(DeniedReportFilter.notifyingCopy(filter.bytes(),
                        !DeniedReportFilter.allowsStacking(filter, names))),
                blocker);
    }
}
