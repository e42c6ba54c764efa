package org.sandboxrunner.seccomp;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sandboxrunner.policy.SeccompAction;
import org.sandboxrunner.policy.SeccompOperator;
import org.sandboxrunner.policy.SeccompSpec;
import org.sandboxrunner.policy.SyscallRule;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sandboxrunner.seccomp.SeccompActions.ALLOW;
import static org.sandboxrunner.seccomp.SeccompActions.ERRNO;
import static org.sandboxrunner.seccomp.SeccompActions.KILL_PROCESS;
import static org.sandboxrunner.seccomp.Specs.allow;
import static org.sandboxrunner.seccomp.Specs.allowBy;
import static org.sandboxrunner.seccomp.Specs.arg;
import static org.sandboxrunner.seccomp.Specs.eq;
import static org.sandboxrunner.seccomp.Specs.errno;
import static org.sandboxrunner.seccomp.Specs.masked;
import static org.sandboxrunner.seccomp.Specs.rule;
import static org.sandboxrunner.seccomp.Specs.spec;

/** The compiler against the real libseccomp; decisions are read from the exported BPF by {@link BpfProgram}. */
class SeccompCompilerTest {
    private static final String X86_64 = "SCMP_ARCH_X86_64";
    private static SeccompCompiler compiler;
    private static SyscallNames names;
    private static int x86_64;
    private static int x86;

    @BeforeAll
    static void bind() {
        compiler = SeccompCompiler.create();
        names = SyscallNames.create();
        x86_64 = names.archToken(X86_64);
        x86 = names.archToken("SCMP_ARCH_X86");
    }

    private static int decide(CompiledFilter filter, String syscall, long... args) {
        return filter.program().evaluate(SeccompData.of(x86_64, names.resolve(syscall, X86_64), args));
    }

    @Test
    void allowlistWithEnosysDefault() {
        CompiledFilter filter = compiler.compile(spec(SeccompAction.SCMP_ACT_ERRNO, OptionalInt.of(38), List.of(),
                allow(List.of("read", "write", "exit_group"))));
        assertEquals(ALLOW, decide(filter, "read"));
        assertEquals(ALLOW, decide(filter, "exit_group"));
        assertEquals(ERRNO | 38, decide(filter, "getpid"));
        assertEquals(ERRNO | 38, filter.program().evaluate(SeccompData.of(x86_64, 1000)), "numbers no syscall has");
        assertEquals(KILL_PROCESS, filter.program().evaluate(SeccompData.of(x86, names.resolve("read", "SCMP_ARCH_X86"))),
                "an architecture the filter does not cover is killed");
        assertEquals(List.of(Architecture.SCMP_ARCH_X86_64), filter.architectures());
        assertTrue(filter.pfc().contains("action ERRNO(38);"), filter.pfc());
        assertTrue(filter.pfc().contains("# invalid architecture action\naction KILL_PROCESS;"), filter.pfc());
        assertEquals(filter.bytes().length, 8 * filter.instructionCount());
        assertFalse(filter.usesNotify());
        assertEquals(0, filter.loadFlags());
        assertEquals(List.of(), filter.skippedSyscalls());
    }

    @Test
    void errnoWithoutErrnoRetIsEperm() {
        CompiledFilter filter = compiler.compile(spec(SeccompAction.SCMP_ACT_ALLOW, OptionalInt.empty(), List.of(),
                rule(SeccompAction.SCMP_ACT_ERRNO, "getpid"), rule(SeccompAction.SCMP_ACT_TRACE, "getppid")));
        assertEquals(ERRNO | 1, decide(filter, "getpid"));
        assertEquals(SeccompActions.TRACE | 1, decide(filter, "getppid"));
        CompiledFilter byDefault = compiler.compile(spec(SeccompAction.SCMP_ACT_ERRNO, OptionalInt.empty(), List.of(),
                allow(List.of("read"))));
        assertEquals(ERRNO | 1, decide(byDefault, "getpid"));
    }

    @Test
    void everyActionReachesTheProgram() {
        record Case(SeccompAction action, int expected) {}
        List<Case> cases = List.of(
                new Case(SeccompAction.SCMP_ACT_KILL, SeccompActions.KILL_THREAD),
                new Case(SeccompAction.SCMP_ACT_KILL_THREAD, SeccompActions.KILL_THREAD),
                new Case(SeccompAction.SCMP_ACT_KILL_PROCESS, KILL_PROCESS),
                new Case(SeccompAction.SCMP_ACT_TRAP, SeccompActions.TRAP),
                new Case(SeccompAction.SCMP_ACT_ERRNO, ERRNO | 1),
                new Case(SeccompAction.SCMP_ACT_TRACE, SeccompActions.TRACE | 1),
                new Case(SeccompAction.SCMP_ACT_LOG, SeccompActions.LOG),
                new Case(SeccompAction.SCMP_ACT_NOTIFY, SeccompActions.NOTIFY));
        for (Case c : cases) {
            CompiledFilter filter = compiler.compile(allowBy(rule(c.action(), "getppid")));
            assertEquals(c.expected(), decide(filter, "getppid"), c.action().name());
            assertEquals(ALLOW, decide(filter, "getpid"), c.action().name());
        }
        CompiledFilter logDefault = compiler.compile(spec(SeccompAction.SCMP_ACT_LOG, OptionalInt.empty(), List.of(),
                rule(SeccompAction.SCMP_ACT_ALLOW, "getppid")));
        assertEquals(SeccompActions.LOG, decide(logDefault, "getpid"));
    }

    @Test
    void rulesWhoseActionIsTheDefaultAreLeftOut() {
        CompiledFilter filter = compiler.compile(spec(SeccompAction.SCMP_ACT_ERRNO, OptionalInt.of(1), List.of(),
                errno(1, "getpid"), errno(2, "getppid"), allow(List.of("read"))));
        assertFalse(filter.pfc().contains("\"getpid\""), filter.pfc());
        assertTrue(filter.pfc().contains("\"getppid\""), filter.pfc());
        assertEquals(ERRNO | 2, decide(filter, "getppid"));
        assertEquals(ERRNO | 1, decide(filter, "getpid"));
    }

    @Test
    void unknownNamesAreSkippedAndListedOrRefused() {
        SyscallRule rule = new SyscallRule(List.of("no_such_call", "read", "nor_this_one", "no_such_call"),
                SeccompAction.SCMP_ACT_ALLOW, OptionalInt.empty(), List.of());
        SeccompSpec skip = spec(SeccompAction.SCMP_ACT_ERRNO, OptionalInt.of(38), List.of(), rule);
        CompiledFilter filter = compiler.compile(skip);
        assertEquals(List.of("no_such_call", "nor_this_one"), filter.skippedSyscalls());
        assertEquals(ALLOW, decide(filter, "read"));

        SeccompSpec refuse = new SeccompSpec(skip.defaultAction(), skip.defaultErrnoRet(), List.of(), List.of(),
                skip.syscalls(), SeccompSpec.UnknownSyscalls.REFUSE);
        SeccompException e = assertThrows(SeccompException.class, () -> compiler.compile(refuse));
        assertEquals("linux.seccomp.syscalls: syscalls no_such_call, nor_this_one unknown to libseccomp "
                + compiler.library().version() + " (unknownSyscalls: REFUSE; SKIP leaves them out)", e.getMessage());
    }

    @Test
    void architecturesStartWithTheNativeOneAndAreCoveredOnce() {
        CompiledFilter filter = compiler.compile(spec(SeccompAction.SCMP_ACT_ERRNO, OptionalInt.of(38),
                List.of("SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_NATIVE", "SCMP_ARCH_X32", "SCMP_ARCH_X86"),
                allow(List.of("read"))));
        assertEquals(List.of(Architecture.SCMP_ARCH_X86_64, Architecture.SCMP_ARCH_X86, Architecture.SCMP_ARCH_X32),
                filter.architectures());
        assertEquals(ALLOW, filter.program().evaluate(SeccompData.of(x86, names.resolve("read", "SCMP_ARCH_X86"))));
        assertEquals(ERRNO | 38, filter.program().evaluate(SeccompData.of(x86, names.resolve("getpid", "SCMP_ARCH_X86"))));
        assertEquals(ALLOW, filter.program().evaluate(SeccompData.of(x86_64, names.resolve("read", "SCMP_ARCH_X32"))),
                "x32 read arrives as AUDIT_ARCH_X86_64 with bit 30 set in nr");

        SeccompException e = assertThrows(SeccompException.class, () -> compiler.compile(spec(SeccompAction.SCMP_ACT_ALLOW,
                OptionalInt.empty(), List.of("SCMP_ARCH_X86", "SCMP_ARCH_PDP11"))));
        assertTrue(e.getMessage().startsWith("linux.seccomp.architectures[1]: unknown architecture 'SCMP_ARCH_PDP11'; known: "
                + "SCMP_ARCH_X86, SCMP_ARCH_X86_64,"), e.getMessage());
    }

    @Test
    void withoutX32AnX32SyscallIsABadArchitecture() {
        CompiledFilter filter = compiler.compile(allowBy(errno(1, "getppid")));
        assertEquals(KILL_PROCESS, filter.program().evaluate(SeccompData.of(x86_64, names.resolve("getppid", "SCMP_ARCH_X32"))));
        assertEquals(ERRNO | 1, decide(filter, "getppid"));
    }

    @Test
    void flagsBecomeLoadFlagsAfterLibseccompAcceptsThem() {
        SeccompSpec base = allowBy(errno(1, "getppid"));
        CompiledFilter filter = compiler.compile(new SeccompSpec(base.defaultAction(), base.defaultErrnoRet(), List.of(),
                List.of("SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_TSYNC"),
                base.syscalls(), base.unknownSyscalls()));
        assertEquals((1 << 1) | (1 << 2), filter.loadFlags(), "LOG | SPEC_ALLOW; TSYNC is dropped");

        SeccompException unknown = assertThrows(SeccompException.class, () -> compiler.compile(new SeccompSpec(
                base.defaultAction(), base.defaultErrnoRet(), List.of(), List.of("SECCOMP_FILTER_FLAG_NEW_LISTENER"),
                base.syscalls(), base.unknownSyscalls())));
        assertEquals("linux.seccomp.flags: unknown flag 'SECCOMP_FILTER_FLAG_NEW_LISTENER'; known: [SECCOMP_FILTER_FLAG_TSYNC,"
                + " SECCOMP_FILTER_FLAG_LOG, SECCOMP_FILTER_FLAG_SPEC_ALLOW, SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV]", unknown.getMessage());

        SeccompException withoutListener = assertThrows(SeccompException.class, () -> compiler.compile(new SeccompSpec(
                base.defaultAction(), base.defaultErrnoRet(), List.of(), List.of("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"),
                base.syscalls(), base.unknownSyscalls())));
        assertTrue(withoutListener.getMessage().contains("needs a SCMP_ACT_NOTIFY rule"), withoutListener.getMessage());
    }

    @Test
    void waitKillableRecvIsReportedWhereLibseccompLacksIt() {
        SeccompSpec spec = new SeccompSpec(SeccompAction.SCMP_ACT_ALLOW, OptionalInt.empty(), List.of(),
                List.of("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"), List.of(rule(SeccompAction.SCMP_ACT_NOTIFY, "getppid")),
                SeccompSpec.UnknownSyscalls.SKIP);
        String version = compiler.library().version();
        if (version.startsWith("2.5.")) {
            SeccompException e = assertThrows(SeccompException.class, () -> compiler.compile(spec));
            assertEquals("linux.seccomp.flags: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV is not supported by libseccomp " + version
                    + " on this kernel: seccomp_attr_set(SCMP_FLTATR_CTL_WAITKILL, 1): Invalid argument", e.getMessage());
        } else {
            assertEquals((1 << 5) | FilterFlag.NEW_LISTENER, compiler.compile(spec).loadFlags());
        }
    }

    @Test
    void notifyRulesAskForAListener() {
        CompiledFilter filter = compiler.compile(allowBy(rule(SeccompAction.SCMP_ACT_NOTIFY, "mkdir")));
        assertTrue(filter.usesNotify());
        assertEquals(FilterFlag.NEW_LISTENER, filter.loadFlags());
        assertEquals(SeccompActions.NOTIFY, decide(filter, "mkdir"));

        SeccompException e = assertThrows(SeccompException.class, () -> compiler.compile(
                spec(SeccompAction.SCMP_ACT_NOTIFY, OptionalInt.empty(), List.of(), allow(List.of("read")))));
        assertTrue(e.getMessage().startsWith("linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action"),
                e.getMessage());
    }

    @Test
    void errnoRetOutsideLibseccompsRangeIsRefusedWithItsPlace() {
        SeccompException rule = assertThrows(SeccompException.class, () -> compiler.compile(allowBy(
                errno(1, "read"), errno(4095, "getppid"))));
        assertEquals("linux.seccomp.syscalls[1]: errnoRet must be between 0 and 4094, got 4095", rule.getMessage());
        SeccompException dflt = assertThrows(SeccompException.class, () -> compiler.compile(spec(
                SeccompAction.SCMP_ACT_ERRNO, OptionalInt.of(-1), List.of())));
        assertEquals("linux.seccomp.defaultErrnoRet: errnoRet must be between 0 and 4094, got -1", dflt.getMessage());
        assertEquals(ERRNO | 4094, decide(compiler.compile(allowBy(errno(4094, "getppid"))), "getppid"));
    }

    @Test
    void maskedEqTakesTheMaskFromValueAndTheDatumFromValueTwo() {
        CompiledFilter filter = compiler.compile(allowBy(errno(13, "getppid", masked(0, 0xf0, 0x30))));
        assertEquals(ERRNO | 13, decide(filter, "getppid", 0x35));
        assertEquals(ERRNO | 13, decide(filter, "getppid", 0x1_0000_0030L), "bits outside the mask do not count");
        assertEquals(ALLOW, decide(filter, "getppid", 0x45));
        assertEquals(ALLOW, decide(filter, "getppid", 0x03));
    }

    @Test
    void sameIndexIsOrDifferentIndexesAreAnd() {
        CompiledFilter or = compiler.compile(allowBy(errno(55, "getppid", eq(0, 1337), eq(0, 2020))));
        assertEquals(ERRNO | 55, decide(or, "getppid", 1337));
        assertEquals(ERRNO | 55, decide(or, "getppid", 2020));
        assertEquals(ALLOW, decide(or, "getppid", 0));

        CompiledFilter and = compiler.compile(allowBy(errno(3, "getppid", eq(0, 0), eq(1, 1337))));
        assertEquals(ERRNO | 3, decide(and, "getppid", 0, 1337));
        assertEquals(ALLOW, decide(and, "getppid", 0, 0));
        assertEquals(ALLOW, decide(and, "getppid", 500, 1337));

        CompiledFilter mixed = compiler.compile(allowBy(errno(7, "getppid", eq(0, 1), eq(1, 7), eq(0, 2))));
        assertEquals(ERRNO | 7, decide(mixed, "getppid", 1, 7));
        assertEquals(ERRNO | 7, decide(mixed, "getppid", 2, 7));
        assertEquals(ALLOW, decide(mixed, "getppid", 1, 8), "a1 must still hold");
        assertEquals(ALLOW, decide(mixed, "getppid", 3, 7));
    }

    @Test
    void everyOperatorComparesUnsigned64Bits() {
        long big = 0x8000_0000_0000_0001L;
        record Case(SeccompOperator op, long below, long at, long above, boolean matchBelow, boolean matchAt, boolean matchAbove) {}
        List<Case> cases = List.of(
                new Case(SeccompOperator.SCMP_CMP_NE, big - 1, big, big + 1, true, false, true),
                new Case(SeccompOperator.SCMP_CMP_LT, big - 1, big, big + 1, true, false, false),
                new Case(SeccompOperator.SCMP_CMP_LE, big - 1, big, big + 1, true, true, false),
                new Case(SeccompOperator.SCMP_CMP_EQ, big - 1, big, big + 1, false, true, false),
                new Case(SeccompOperator.SCMP_CMP_GE, big - 1, big, big + 1, false, true, true),
                new Case(SeccompOperator.SCMP_CMP_GT, big - 1, big, big + 1, false, false, true));
        for (Case c : cases) {
            CompiledFilter filter = compiler.compile(allowBy(errno(9, "getppid", arg(2, c.op(), big))));
            assertEquals(c.matchBelow() ? ERRNO | 9 : ALLOW, decide(filter, "getppid", 0, 0, c.below()), c.op() + " below");
            assertEquals(c.matchAt() ? ERRNO | 9 : ALLOW, decide(filter, "getppid", 0, 0, c.at()), c.op() + " at");
            assertEquals(c.matchAbove() ? ERRNO | 9 : ALLOW, decide(filter, "getppid", 0, 0, c.above()), c.op() + " above");
        }
    }

    @Test
    void valueTwoOutsideMaskedEqIsRefused() {
        SyscallRule rule = new SyscallRule(List.of("getppid"), SeccompAction.SCMP_ACT_ERRNO, OptionalInt.empty(),
                List.of(new org.sandboxrunner.policy.SeccompArg(1, 4, 9, SeccompOperator.SCMP_CMP_EQ)));
        SeccompException e = assertThrows(SeccompException.class, () -> compiler.compile(allowBy(rule)));
        assertEquals("linux.seccomp.syscalls[0].args[0]: valueTwo is only used by SCMP_CMP_MASKED_EQ, but op is"
                + " SCMP_CMP_EQ and valueTwo is 9", e.getMessage());
    }

    @Test
    void severalRulesForOneSyscall() {
        CompiledFilter filter = compiler.compile(allowBy(
                errno(22, "getppid", eq(0, 1)), errno(22, "getppid", arg(0, SeccompOperator.SCMP_CMP_GT, 2))));
        assertEquals(ALLOW, decide(filter, "getppid", 0));
        assertEquals(ERRNO | 22, decide(filter, "getppid", 1));
        assertEquals(ALLOW, decide(filter, "getppid", 2));
        assertEquals(ERRNO | 22, decide(filter, "getppid", 3));
    }

    @Test
    void longAllowlistsBecomeABinaryTreeWithTheSameDecisions() {
        List<String> allowed = new ArrayList<>();
        for (int nr = 0; allowed.size() <= SeccompCompiler.BINARY_TREE_THRESHOLD; nr++) {
            names.name(nr, X86_64).ifPresent(allowed::add);
        }
        SeccompSpec spec = spec(SeccompAction.SCMP_ACT_ERRNO, OptionalInt.of(38), List.of(), allow(allowed));
        CompiledFilter tree = compiler.compile(spec);
        assertTrue(tree.pfc().contains("if ($syscall > "), "a tree branches on ranges of numbers:\n" + tree.pfc());
        for (String name : allowed) {
            assertEquals(ALLOW, decide(tree, name), name);
        }
        assertEquals(ERRNO | 38, decide(tree, "mount"));
        assertEquals(ERRNO | 38, tree.program().evaluate(SeccompData.of(x86_64, 1000)));

        CompiledFilter linear = compiler.compile(spec(SeccompAction.SCMP_ACT_ERRNO, OptionalInt.of(38), List.of(),
                allow(allowed.subList(0, SeccompCompiler.BINARY_TREE_THRESHOLD))));
        assertFalse(linear.pfc().contains("if ($syscall > "), linear.pfc());
    }

    @Test
    void aProgramOverTheKernelsLimitIsRefused() {
        SyscallRule[] rules = IntStream.range(0, 1000).mapToObj(i -> errno(1, "getppid", eq(0, i), eq(1, 7L * i + 1))).toArray(SyscallRule[]::new);
        SeccompException e = assertThrows(SeccompException.class, () -> compiler.compile(allowBy(rules)));
        assertTrue(e.getMessage().matches("BPF program has \\d+ instructions; the kernel accepts 1 to 4096 \\(BPF_MAXINSNS\\)"),
                e.getMessage());
    }

    @Test
    void bytesAreACopy() {
        CompiledFilter filter = compiler.compile(allowBy(errno(1, "getppid")));
        byte[] first = filter.bytes();
        assertNotSame(first, filter.bytes());
        first[0] ^= 0x7f;
        assertFalse(java.util.Arrays.equals(first, filter.bytes()));
        assertArrayEquals(filter.bytes(), filter.bytes());
    }

    @Test
    void libraryIsProbed() {
        LibSeccompInfo info = compiler.library();
        assertTrue(info.version().matches("\\d+\\.\\d+\\.\\d+"), info.version());
        assertTrue(info.apiLevel().isPresent(), "libseccomp 2.4+ has seccomp_api_get");
        assertEquals(!info.version().startsWith("2.5."), info.exportBpfMem(), "seccomp_export_bpf_mem arrived in 2.6");
        assertEquals(Architecture.SCMP_ARCH_X86_64, compiler.nativeArchitecture());
    }
}
