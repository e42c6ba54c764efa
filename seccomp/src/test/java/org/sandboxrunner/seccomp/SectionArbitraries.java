package org.sandboxrunner.seccomp;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.sandboxrunner.policy.SeccompAction;
import org.sandboxrunner.policy.SeccompArg;
import org.sandboxrunner.policy.SeccompOperator;
import org.sandboxrunner.policy.SeccompSpec;
import org.sandboxrunner.policy.SyscallRule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/** Random OCI seccomp sections inside what both compilers accept, and random syscalls to judge them by. */
final class SectionArbitraries {
    /** Names with x86-only, x86_64-only and unknown ones among them, so translation and skipping are exercised. */
    static final List<String> NAMES = List.of("read", "write", "getppid", "getpid", "openat", "close", "mmap", "ioctl",
            "socket", "kill", "personality", "dup3", "kcmp", "clone", "clone3", "unshare", "mount", "ptrace", "flock",
            "fcntl", "prctl", "futex", "newfstatat", "arch_prctl", "_llseek", "mmap2", "fcntl64", "waitpid",
            "no_such_syscall", "another_unknown_one");
    static final List<String> ARCHES = List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64");
    private static final List<String> FLAGS = List.of("SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
            "SECCOMP_FILTER_FLAG_TSYNC");
    /** __X32_SYSCALL_BIT. */
    static final int X32_BIT = 0x4000_0000;

    private SectionArbitraries() {}

    /** Any section; rules may give one syscall different actions. {@code nativeNames} feed long allowlists. */
    static Arbitrary<SeccompSpec> sections(List<String> nativeNames) {
        Arbitrary<SeccompAction> defaults = Arbitraries.of(SeccompAction.class).filter(a -> a != SeccompAction.SCMP_ACT_NOTIFY);
        Arbitrary<List<SyscallRule>> allowlist = Arbitraries.of(nativeNames).list().ofMinSize(SeccompCompiler.BINARY_TREE_THRESHOLD + 1)
                .ofMaxSize(60).map(names -> List.of(new SyscallRule(names, SeccompAction.SCMP_ACT_ALLOW, OptionalInt.empty(), List.of())));
        Arbitrary<List<SyscallRule>> extra = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(List.<SyscallRule>of())), Tuple.of(1, allowlist));
        return Combinators.combine(defaults, errnoRet(), Arbitraries.of(ARCHES).list().uniqueElements().ofMaxSize(4),
                        Arbitraries.of(FLAGS).list().uniqueElements().ofMaxSize(2), rule().list().ofMaxSize(12), extra)
                .as((defaultAction, errno, arches, flags, rules, extraRules) -> {
                    List<SyscallRule> all = new ArrayList<>(rules);
                    all.addAll(extraRules);
                    return new SeccompSpec(defaultAction, defaultAction.takesErrno() ? errno : OptionalInt.empty(), arches, flags,
                            all, SeccompSpec.UnknownSyscalls.SKIP);
                });
    }

    /**
     * Sections where every syscall has one action besides the default, so that the decision for a syscall
     * does not depend on how libseccomp settles conflicting rules, which no profile should rely on.
     */
    static Arbitrary<SeccompSpec> oneActionPerSyscall(List<String> nativeNames) {
        return sections(nativeNames).map(spec -> {
            Map<String, Integer> actions = new HashMap<>();
            List<SyscallRule> kept = new ArrayList<>();
            for (SyscallRule rule : spec.syscalls()) {
                int action = SeccompActions.encode(rule.action(), rule.errnoRet(), "generated");
                List<String> names = rule.names().stream().filter(n -> actions.computeIfAbsent(n, k -> action) == action).toList();
                if (!names.isEmpty()) {
                    kept.add(new SyscallRule(names, rule.action(), rule.errnoRet(), rule.args()));
                }
            }
            return new SeccompSpec(spec.defaultAction(), spec.defaultErrnoRet(), spec.architectures(), spec.flags(), kept,
                    spec.unknownSyscalls());
        });
    }

    private static Arbitrary<OptionalInt> errnoRet() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(OptionalInt.empty())),
                Tuple.of(3, Arbitraries.integers().between(0, SeccompActions.MAX_ERRNO_RET).map(OptionalInt::of)));
    }

    private static Arbitrary<SyscallRule> rule() {
        return Combinators.combine(Arbitraries.of(NAMES).list().ofMinSize(1).ofMaxSize(4), Arbitraries.of(SeccompAction.class),
                        errnoRet(), arg().list().ofMaxSize(4))
                .as((names, action, errno, args) -> new SyscallRule(names, action,
                        action.takesErrno() ? errno : OptionalInt.empty(), args));
    }

    private static Arbitrary<SeccompArg> arg() {
        Arbitrary<Integer> index = Arbitraries.frequency(Tuple.of(4, 0), Tuple.of(3, 1), Tuple.of(2, 2), Tuple.of(1, 3),
                Tuple.of(1, 4), Tuple.of(1, 5));
        return Combinators.combine(index, Arbitraries.of(SeccompOperator.class), value(), value())
                .as((i, op, value, valueTwo) -> new SeccompArg(i, value, op == SeccompOperator.SCMP_CMP_MASKED_EQ ? valueTwo : 0, op));
    }

    private static Arbitrary<Long> value() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(0, 16)),
                Tuple.of(2, Arbitraries.of(0xffff_ffffL, 0x8000_0000L, 0x1_0000_0000L, 0x1_0000_0003L, -1L, Long.MAX_VALUE,
                        Long.MIN_VALUE)),
                Tuple.of(2, Arbitraries.longs()));
    }

    /**
     * Syscalls as the kernel would present them: the section's own syscalls and random numbers, on the
     * native architecture, i386, x32 (AUDIT_ARCH_X86_64 with bit 30), aarch64 and a random architecture,
     * with arguments near the section's data. i386 arguments are 32-bit, as the kernel zero-extends them.
     * i386 socketcall and ipc are left out: libseccomp multiplexes socket and IPC rules through them.
     */
    static Arbitrary<SeccompData> syscalls(SeccompSpec spec, SyscallNames names) {
        Set<Long> data = new LinkedHashSet<>(List.of(0L, 1L));
        spec.syscalls().forEach(rule -> rule.args().forEach(a -> {
            data.addAll(List.of(a.value(), a.value() + 1, a.value() - 1, a.valueTwo(), a.valueTwo() | ~a.value(),
                    a.value() & 0xffff_ffffL, a.value() | 0x1_0000_0000L));
        }));
        Arbitrary<Long> arg = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(List.copyOf(data))),
                Tuple.of(1, Arbitraries.longs().between(0, 16)),
                Tuple.of(1, Arbitraries.longs()));
        int x8664 = names.archToken("SCMP_ARCH_X86_64");
        int i386 = names.archToken("SCMP_ARCH_X86");
        Set<Integer> multiplexers = Set.of(names.resolve("socketcall", "SCMP_ARCH_X86"), names.resolve("ipc", "SCMP_ARCH_X86"));
        List<Arbitrary<SeccompData>> choices = new ArrayList<>();
        for (String arch : List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64")) {
            List<Integer> numbers = new ArrayList<>();
            spec.syscalls().forEach(rule -> rule.names().forEach(name -> numberOf(names, name, arch, numbers)));
            NAMES.forEach(name -> numberOf(names, name, arch, numbers));
            boolean x32 = arch.equals("SCMP_ARCH_X32");
            int token = x32 ? x8664 : names.archToken(arch);
            Arbitrary<Integer> nr = Arbitraries.frequencyOf(
                    Tuple.of(5, Arbitraries.of(numbers)),
                    Tuple.of(2, Arbitraries.integers().between(0, 500).map(n -> x32 ? n | X32_BIT : n)),
                    Tuple.of(1, Arbitraries.integers()));
            boolean bits32 = token == i386;
            choices.add(Combinators.combine(nr, arg.list().ofSize(SeccompData.ARGS))
                    .as((n, args) -> new SeccompData(n, token, 0, bits32 ? args.stream().map(a -> a & 0xffff_ffffL).toList() : args))
                    .filter(d -> !(bits32 && multiplexers.contains(d.nr()))));
        }
        choices.add(Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, 500), arg.list().ofSize(SeccompData.ARGS))
                .as((token, n, args) -> new SeccompData(n, token, 0, args)));
        return Arbitraries.oneOf(choices);
    }

    private static void numberOf(SyscallNames names, String name, String arch, List<Integer> numbers) {
        try {
            numbers.add(names.resolve(name, arch));
        } catch (SeccompException e) {
            // Unknown to libseccomp or absent on this architecture: random numbers cover it.
        }
    }
}
