package org.sandboxrunner.seccomp;

import org.sandboxrunner.policy.SeccompAction;
import org.sandboxrunner.policy.SeccompSpec;
import org.sandboxrunner.policy.SyscallRule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compiles an OCI {@code linux.seccomp} section into a raw BPF program with libseccomp, for the native
 * stage to load right before execve. Nothing is ever loaded into the JVM. The rules are docs/seccomp.md's:
 * the native architecture is always covered and every architecture not listed is killed
 * (SCMP_ACT_KILL_PROCESS as the bad-arch action); rules whose action equals the default are left out;
 * names libseccomp does not know are skipped and listed, or refused, as the section says; argument
 * conditions follow {@link ConditionSets}. libseccomp runs under {@link CompileWatchdog}, after
 * {@link LoopGuard} has refused the rule sets it is known to spin on, and the program it exports is
 * checked against the section's own meaning ({@link ProgramCheck}) before it is handed out. Instances
 * are thread-safe: each compilation has its own libseccomp context, released before {@link #compile}
 * returns unless the watchdog abandoned it.
 */
public final class SeccompCompiler {
    /**
     * Above this many syscalls with rules the filter is built as a binary tree
     * (SCMP_FLTATR_CTL_OPTIMIZE = 2) rather than a linear list, as runc does: long allowlists then cost
     * a few comparisons per syscall instead of hundreds. runc keeps small filters linear because
     * libseccomp up to 2.5.4 misbehaves with the tree and no rules.
     */
    static final int BINARY_TREE_THRESHOLD = 32;
    private static final String WHERE = "linux.seccomp";

    /**
     * How long libseccomp may take for one section before the compilation is abandoned
     * ({@link CompileWatchdog}); Docker's default profile takes about 110 ms.
     */
    static final Duration LIBSECCOMP_DEADLINE = Duration.ofSeconds(20);

    /** Where the running kernel names its release (proc(5)). */
    static final Path OSRELEASE = Path.of("/proc/sys/kernel/osrelease");

    private final LibSeccomp lib;
    private final CompileWatchdog watchdog;
    /** {@link #identity()}, worked out on first use. */
    private Optional<String> identity;

    SeccompCompiler(LibSeccomp lib, Duration deadline) {
        this.lib = lib;
        this.watchdog = new CompileWatchdog(deadline, lib.version());
    }

    /** Binds libseccomp.so.2 through JNA. */
    public static SeccompCompiler create() {
        return new SeccompCompiler(JnaLibSeccomp.load(), LIBSECCOMP_DEADLINE);
    }

    /** The libseccomp in use and its optional features, probed by calling and by name (for the audit log). */
    public LibSeccompInfo library() {
        return new LibSeccompInfo(lib.version(), lib.apiLevel(), lib.hasFunction(LibSeccompInfo.EXPORT_BPF_MEM));
    }

    /** The architecture libseccomp was built for, which every filter covers. */
    public Architecture nativeArchitecture() {
        return Architectures.nativeOf(lib);
    }

    /**
     * Everything besides the section that decides what {@link #compile} returns, for a cache of
     * compiled programs to key by: libseccomp's version, API level and native architecture, the
     * {@link FileStamp} of the library file this process runs (a distribution patch changes it, not
     * the version), the kernel's release, and the stamp of this module's own code (the compiler and
     * its self-check). Empty when the library file cannot be told (then nothing may be cached).
     */
    public synchronized Optional<String> identity() {
        if (identity == null) {
            identity = lib.file().map(file -> "libseccomp " + lib.version()
                    + "\napi level " + (lib.apiLevel().isPresent() ? lib.apiLevel().getAsInt() : "unknown")
                    + "\nnative architecture " + Integer.toUnsignedString(lib.nativeArchToken())
                    + "\nlibrary " + FileStamp.of(file)
                    + "\nkernel " + kernelRelease()
                    + "\ncompiler " + FileStamp.ofCodeOf(SeccompCompiler.class));
        }
        return identity;
    }

    private static String kernelRelease() {
        try {
            return Files.readString(OSRELEASE).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + OSRELEASE + ": " + e.getMessage(), e);
        }
    }

    public CompiledFilter compile(SeccompSpec spec) {
        int defaultAction = SeccompActions.encode(spec.defaultAction(), spec.defaultErrnoRet(), WHERE + ".defaultErrnoRet");
        if (spec.defaultAction() == SeccompAction.SCMP_ACT_NOTIFY) {
            // The native stage's own execve would then wait on a listener nobody serves yet (runc refuses it too).
            throw new SeccompException(WHERE + ".defaultAction: SCMP_ACT_NOTIFY cannot be the default action;"
                    + " use it on the syscalls to report");
        }
        Architecture nativeArch = nativeArchitecture();
        Map<Architecture, Integer> architectures = architectures(spec.architectures(), nativeArch);
        Set<FilterFlag> flags = flags(spec.flags());
        Plan plan = plan(spec, defaultAction, lib.nativeArchToken());
        if (plan.usesNotify && lib.apiLevel().orElse(0) < LibSeccompInfo.NOTIFY_API_LEVEL) {
            throw new SeccompException(WHERE + ".syscalls: SCMP_ACT_NOTIFY needs libseccomp API level "
                    + LibSeccompInfo.NOTIFY_API_LEVEL + " (libseccomp 2.5 on Linux 5.0 or later); " + library());
        }
        if (flags.contains(FilterFlag.SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV) && !plan.usesNotify) {
            throw new SeccompException(WHERE + ".flags: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV needs a SCMP_ACT_NOTIFY rule;"
                    + " the kernel refuses it without a listener");
        }

        CompiledFilter filter = watchdog.call(() -> {
            try (LibSeccomp.FilterContext ctx = lib.newFilter(defaultAction)) {
                Map<FilterAttribute, Integer> attributes = new EnumMap<>(FilterAttribute.class);
                attributes.put(FilterAttribute.SCMP_FLTATR_ACT_DEFAULT, defaultAction);
                // A syscall from an architecture the filter does not cover (int 0x80, x32) kills the process.
                set(ctx, attributes, FilterAttribute.SCMP_FLTATR_ACT_BADARCH, SeccompActions.KILL_PROCESS);
                // The native stage sets no_new_privs itself and reads it back; libseccomp's copy only affects seccomp_load.
                set(ctx, attributes, FilterAttribute.SCMP_FLTATR_CTL_NNP, 0);
                for (FilterFlag flag : flags) {
                    if (flag.attribute().isPresent()) {
                        try {
                            set(ctx, attributes, flag.attribute().get(), 1);
                        } catch (LibSeccompException e) {
                            throw new SeccompException(WHERE + ".flags: " + flag + " is not supported by libseccomp "
                                    + lib.version() + " on this kernel: " + e.getMessage(), e);
                        }
                    }
                }
                if (plan.syscallCount() > BINARY_TREE_THRESHOLD) {
                    set(ctx, attributes, FilterAttribute.SCMP_FLTATR_CTL_OPTIMIZE, 2);
                }
                // Architectures before rules, so that every rule is translated to every architecture.
                architectures.forEach((architecture, token) -> {
                    if (!ctx.hasArch(token)) {
                        ctx.addArch(token, architecture.libseccompName());
                    }
                });
                for (PlannedRule rule : plan.rules) {
                    for (List<ArgCondition> conditions : rule.conditionSets) {
                        try {
                            ctx.addRule(rule.name, rule.number, rule.action, conditions);
                        } catch (LibSeccompException e) {
                            throw new SeccompException(rule.where + ": " + e.getMessage(), e);
                        }
                    }
                }
                readBack(ctx, attributes);
                int loadFlags = plan.usesNotify ? FilterFlag.NEW_LISTENER : 0;
                for (FilterFlag flag : flags) {
                    loadFlags |= flag.kernelBit();
                }
                return new CompiledFilter(ctx.exportBpf(), ctx.exportPfc(), plan.unknown, plan.usesNotify, loadFlags,
                        List.copyOf(architectures.keySet()), lib.version());
            }
        });
        List<CoveredAbi> covered = architectures.keySet().stream().map(architecture -> CoveredAbi.of(lib, architecture)).toList();
        ProgramCheck.check(spec, filter.program(), covered, lib);
        return filter;
    }

    private static void set(LibSeccomp.FilterContext ctx, Map<FilterAttribute, Integer> expected,
                            FilterAttribute attribute, int value) {
        ctx.setAttribute(attribute, value);
        expected.put(attribute, value);
    }

    /** Every attribute this compilation set is read back from libseccomp before the program is exported. */
    private static void readBack(LibSeccomp.FilterContext ctx, Map<FilterAttribute, Integer> expected) {
        expected.forEach((attribute, value) -> {
            int actual = ctx.attribute(attribute);
            if (actual != value) {
                throw new SeccompException("libseccomp reads back " + attribute + " = 0x" + Integer.toHexString(actual)
                        + " after it was set to 0x" + Integer.toHexString(value));
            }
        });
    }

    /** The native architecture first, then the listed ones in order, each once, with their libseccomp tokens. */
    private Map<Architecture, Integer> architectures(List<String> names, Architecture nativeArch) {
        Map<Architecture, Integer> tokens = new LinkedHashMap<>();
        tokens.put(nativeArch, lib.nativeArchToken());
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String where = WHERE + ".architectures[" + i + "]";
            if (Architecture.NATIVE.equals(name)) {
                continue;
            }
            Architecture architecture = Architecture.fromOciName(name).orElseThrow(() -> new SeccompException(
                    where + ": unknown architecture '" + name + "'; known: " + Architecture.known() + ", " + Architecture.NATIVE));
            if (!tokens.containsKey(architecture)) {
                try {
                    tokens.put(architecture, Architectures.token(lib, architecture));
                } catch (SeccompException e) {
                    throw new SeccompException(where + ": " + e.getMessage(), e);
                }
            }
        }
        return tokens;
    }

    private static Set<FilterFlag> flags(List<String> names) {
        Set<FilterFlag> flags = EnumSet.noneOf(FilterFlag.class);
        for (String name : names) {
            flags.add(FilterFlag.fromOciName(name).orElseThrow(() -> new SeccompException(
                    WHERE + ".flags: unknown flag '" + name + "'; known: " + EnumSet.allOf(FilterFlag.class))));
        }
        return flags;
    }

    /** Resolves names and expands conditions before any libseccomp context exists, so refusals come first. */
    private Plan plan(SeccompSpec spec, int defaultAction, int nativeToken) {
        Plan plan = new Plan();
        Set<String> unknown = new LinkedHashSet<>();
        List<SyscallRule> syscalls = spec.syscalls();
        for (int i = 0; i < syscalls.size(); i++) {
            SyscallRule rule = syscalls.get(i);
            String where = WHERE + ".syscalls[" + i + "]";
            int action = SeccompActions.encode(rule.action(), rule.errnoRet(), where);
            List<List<ArgCondition>> conditionSets = ConditionSets.expand(rule.args(), where);
            for (String name : rule.names()) {
                int number = lib.resolveSyscall(nativeToken, name);
                if (number == LibSeccomp.NR_SCMP_ERROR) {
                    unknown.add(name);
                } else if (action != defaultAction) {
                    // A number for the native architecture, possibly a pseudo number: libseccomp
                    // translates the rule to each architecture of the filter by name.
                    plan.rules.add(new PlannedRule(where, name, number, action, conditionSets));
                    plan.usesNotify |= action == SeccompActions.NOTIFY;
                }
            }
        }
        if (!unknown.isEmpty() && spec.unknownSyscalls() == SeccompSpec.UnknownSyscalls.REFUSE) {
            throw new SeccompException(WHERE + ".syscalls: " + (unknown.size() == 1 ? "syscall " : "syscalls ")
                    + String.join(", ", unknown) + " unknown to libseccomp " + lib.version()
                    + " (unknownSyscalls: REFUSE; SKIP leaves them out)");
        }
        plan.unknown.addAll(unknown);
        List<LoopGuard.Rule> libseccompRules = new ArrayList<>();
        plan.rules.forEach(rule -> rule.conditionSets.forEach(conditions ->
                libseccompRules.add(new LoopGuard.Rule(rule.where, rule.name, conditions))));
        LoopGuard.check(libseccompRules, lib.version());
        return plan;
    }

    private static final class Plan {
        final List<PlannedRule> rules = new ArrayList<>();
        final List<String> unknown = new ArrayList<>();
        boolean usesNotify;

        long syscallCount() {
            return rules.stream().map(r -> r.name).distinct().count();
        }
    }

    private record PlannedRule(String where, String name, int number, int action, List<List<ArgCondition>> conditionSets) {}
}
