package org.sandboxrunner.seccomp;

import org.junit.jupiter.api.Test;
import org.sandboxrunner.policy.SeccompAction;
import org.sandboxrunner.policy.SeccompSpec;
import org.sandboxrunner.policy.SyscallRule;

import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sandboxrunner.policy.SeccompOperator.SCMP_CMP_GE;
import static org.sandboxrunner.policy.SeccompOperator.SCMP_CMP_GT;
import static org.sandboxrunner.policy.SeccompOperator.SCMP_CMP_LE;
import static org.sandboxrunner.policy.SeccompOperator.SCMP_CMP_NE;
import static org.sandboxrunner.seccomp.Specs.arg;
import static org.sandboxrunner.seccomp.Specs.masked;
import static org.sandboxrunner.seccomp.Specs.rule;
import static org.sandboxrunner.seccomp.Specs.spec;

/** The compiler's self-check against the real libseccomp 2.5.4: what it refuses, what it lets through. */
class ProgramCheckTest {
    private final SeccompCompiler compiler = SeccompCompiler.create();
    private final SyscallNames names = SyscallNames.create();
    private final LibSeccomp lib = JnaLibSeccomp.load();
    private final int x8664 = names.archToken("SCMP_ARCH_X86_64");

    /**
     * The shape session 1 reported (jqwik seed 5930219183503720426 of DifferentialPropertyTest) as
     * written in docs/seccomp.md. On its own it compiles correctly: a0 = -292142, a1 = 292140 is KILL.
     */
    @Test
    void reportedReproducerCompilesToWhatItSays() {
        SeccompSpec spec = spec(SeccompAction.SCMP_ACT_TRAP, OptionalInt.empty(), List.of(),
                rule(SeccompAction.SCMP_ACT_KILL, "getppid", masked(0, 0x7fff_ffff_ffff_ffffL, -1L), arg(0, SCMP_CMP_GT, 1L << 31),
                        arg(0, SCMP_CMP_GE, 292141), arg(1, SCMP_CMP_NE, -1L)));
        BpfProgram program = compiler.compile(spec).program();
        int getppid = names.resolve("getppid", "SCMP_ARCH_X86_64");
        assertEquals(SeccompActions.KILL_THREAD, program.evaluate(SeccompData.of(x8664, getppid, -292142L, 292140L)));
        assertEquals(SeccompActions.TRAP, program.evaluate(SeccompData.of(x8664, getppid, 5L, 292140L)));
        assertEquals(SeccompActions.TRAP, program.evaluate(SeccompData.of(x8664, getppid, -292142L, -1L)));
    }

    /**
     * Found by the decision property with random seeds and reduced by hand: libseccomp 2.5.4 exports a
     * program that traps mount(2) with a1 = 0x807474d5, which neither alternative allows (its PFC listing
     * is right; the BPF falls from the first alternative's low-word test into the second's high-word
     * test without reloading the high word). python3-seccomp exports the same bytes.
     */
    @Test
    void refusesWhatLibseccompMiscompiles() {
        SeccompSpec spec = spec(SeccompAction.SCMP_ACT_LOG, OptionalInt.empty(), List.of(),
                rule(SeccompAction.SCMP_ACT_TRAP, "mount", arg(1, SCMP_CMP_LE, 7632085), arg(1, SCMP_CMP_GE, 1L << 63)));
        SeccompException e = assertThrows(SeccompException.class, () -> compiler.compile(spec));
        assertEquals("linux.seccomp.syscalls[0] (mount SCMP_ACT_TRAP if (a1 LE 7632085 || a1 GE 9223372036854775808)):"
                + " on SCMP_ARCH_X86_64, nr 165 (mount), args [0x0, 0x807474d5, 0x0, 0x0, 0x0, 0x0]: the section means SCMP_ACT_LOG"
                + " but the BPF program libseccomp 2.5.4 produced returns SCMP_ACT_TRAP; this is a libseccomp miscompile, so the"
                + " profile is refused (docs/seccomp.md, Known defects)", e.getMessage());
    }

    @Test
    void sectionMeansAnyActionOfTheEntriesThatApply() {
        SeccompSpec spec = spec(SeccompAction.SCMP_ACT_ALLOW, OptionalInt.empty(), List.of(),
                new SyscallRule(List.of("getpid"), SeccompAction.SCMP_ACT_ERRNO, OptionalInt.of(1), List.of()),
                rule(SeccompAction.SCMP_ACT_KILL, "getpid", Specs.eq(0, 1)),
                rule(SeccompAction.SCMP_ACT_ALLOW, "getpid", Specs.eq(0, 2)));
        CompiledFilter filter = compiler.compile(spec);
        SectionMeaning meaning = new SectionMeaning(spec, List.of(CoveredAbi.of(lib, Architecture.SCMP_ARCH_X86_64)), lib);
        int getpid = names.resolve("getpid", "SCMP_ARCH_X86_64");
        SeccompData one = SeccompData.of(x8664, getpid, 1);
        assertEquals(Set.of(SeccompActions.ERRNO | 1, SeccompActions.KILL_THREAD), meaning.decide(one));
        assertTrue(meaning.decide(one).contains(filter.program().evaluate(one)));
        // The entry whose action is the default changes nothing.
        assertEquals(Set.of(SeccompActions.ERRNO | 1), meaning.decide(SeccompData.of(x8664, getpid, 2)));
        assertEquals(Set.of(SeccompActions.KILL_PROCESS), meaning.decide(SeccompData.of(names.archToken("SCMP_ARCH_X86"), getpid)));
        assertEquals(Set.of(SeccompActions.KILL_PROCESS), meaning.decide(SeccompData.of(x8664, getpid | CoveredAbi.X32_SYSCALL_BIT)));
        assertEquals(Set.of(SeccompActions.ALLOW), meaning.decide(SeccompData.of(x8664, -1)));
    }

    @Test
    void probesReachEveryBoundaryWithinABoundedCount() {
        SyscallRule reproducer = rule(SeccompAction.SCMP_ACT_KILL, "getppid", masked(0, 0x7fff_ffff_ffff_ffffL, -1L),
                arg(0, SCMP_CMP_GT, 1L << 31), arg(0, SCMP_CMP_GE, 292141), arg(1, SCMP_CMP_NE, -1L));
        List<List<Long>> vectors = ProbeSet.vectors(List.of(reproducer));
        assertTrue(vectors.contains(List.of(-292142L, 292140L, 0L, 0L, 0L, 0L)) || vectors.stream()
                .anyMatch(v -> v.get(0) == -292142L && v.get(1) != -1L), "a0 = ~292141 with a1 != -1");
        assertTrue(vectors.stream().anyMatch(v -> v.get(0) == (1L << 31) + 1 && v.get(1) == -2L));
        SyscallRule wide = rule(SeccompAction.SCMP_ACT_KILL, "getppid", arg(0, SCMP_CMP_LE, 1), arg(1, SCMP_CMP_LE, 2),
                arg(2, SCMP_CMP_LE, 3), arg(3, SCMP_CMP_LE, 4), arg(4, SCMP_CMP_LE, 5), arg(5, SCMP_CMP_LE, 6));
        int wideCount = ProbeSet.vectors(List.of(wide)).size();
        assertTrue(wideCount > ProbeSet.FULL_PRODUCT_BUDGET / 2 && wideCount < 15 * 17 * 17 + 2, "pairwise: " + wideCount);
    }
}
