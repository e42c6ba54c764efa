package org.sandboxrunner.seccomp;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.sandboxrunner.policy.SeccompSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random sections compiled by this module and by Debian's python3-seccomp driving the same libseccomp
 * give the same program and listing (or are both refused); and the program's decisions, run through
 * {@link BpfProgram}, are what the section says ({@link SectionMeaning}).
 */
class DifferentialPropertyTest {
    private static SeccompCompiler compiler;
    private static SyscallNames names;
    private static LibSeccomp lib;
    private static PythonSeccompReference python;
    private static List<String> nativeNames;

    /** The start of what {@link LoopGuard} says. */
    private static final String LOOP_GUARD = "never finishes adding such a pair";
    /** What {@link ProgramCheck} says when libseccomp's program disagrees with the section. */
    private static final String MISCOMPILE = "this is a libseccomp miscompile";

    record Case(SeccompSpec spec, List<SeccompData> calls) {}

    @BeforeContainer
    static void start() {
        compiler = SeccompCompiler.create();
        names = SyscallNames.create();
        lib = JnaLibSeccomp.load();
        python = new PythonSeccompReference();
        nativeNames = new ArrayList<>();
        for (int nr = 0; nr < 512; nr++) {
            names.name(nr, "SCMP_ARCH_X86_64").ifPresent(nativeNames::add);
        }
    }

    @AfterContainer
    static void stop() {
        python.close();
    }

    @Provide
    Arbitrary<SeccompSpec> sections() {
        return SectionArbitraries.sections(nativeNames);
    }

    @Provide
    Arbitrary<Case> cases() {
        return SectionArbitraries.oneActionPerSyscall(nativeNames)
                .flatMap(spec -> SectionArbitraries.syscalls(spec, names).list().ofSize(40).map(calls -> new Case(spec, calls)));
    }

    /**
     * Random seeds (jqwik's failure database under target/ replays a failure first). A section the
     * compiler refuses as a libseccomp miscompile must be one libseccomp compiled for Python too: the
     * refusal is {@link ProgramCheck}'s, not libseccomp's.
     */
    @Property(tries = 300)
    void sameProgramAsPythonSeccomp(@ForAll("sections") SeccompSpec spec) {
        Optional<CompiledFilter> ours;
        boolean miscompiled = false;
        try {
            ours = Optional.of(compiler.compile(spec));
        } catch (SeccompException e) {
            // Python would hang in libseccomp on what the loop guard refuses.
            Assume.that(!e.getMessage().contains(LOOP_GUARD));
            miscompiled = e.getMessage().contains(MISCOMPILE);
            ours = Optional.empty();
        }
        PythonSeccompReference.Outcome reference = python.compile(spec);
        if (miscompiled) {
            assertEquals(null, reference.error(), "we refused a miscompile of what libseccomp refused for Python");
            Statistics.collect("refused as a libseccomp miscompile");
            return;
        }
        Statistics.collect(ours.isPresent() ? "compiled" : "refused by both");
        if (ours.isEmpty()) {
            assertEquals(true, reference.error() != null, "we refused but Python compiled");
        }
        if (ours.isPresent()) {
            assertEquals(null, reference.error(), "Python refused what we compiled");
            assertEquals(reference.pfc(), ours.get().pfc());
            assertArrayEquals(reference.bpf(), ours.get().bytes());
        }
    }

    /**
     * Random seeds. The compiler either refuses the section (the loop guard, or its own self-check finding
     * a libseccomp miscompile) or hands out a program that decides 40 random calls as the section says.
     */
    @Property(tries = 300)
    void decisionsAreWhatTheSectionSays(@ForAll("cases") Case c) {
        CompiledFilter filter;
        try {
            filter = compiler.compile(c.spec());
        } catch (SeccompException e) {
            Assume.that(!e.getMessage().contains(LOOP_GUARD));
            assertTrue(e.getMessage().contains(MISCOMPILE), e::getMessage);
            Statistics.collect("refused as a libseccomp miscompile");
            return;
        }
        Statistics.collect("compiled");
        List<CoveredAbi> covered = filter.architectures().stream().map(a -> CoveredAbi.of(lib, a)).toList();
        SectionMeaning meaning = new SectionMeaning(c.spec(), covered, lib);
        for (SeccompData call : c.calls()) {
            Set<Integer> meant = meaning.decide(call);
            assertEquals(1, meant.size(), "one action per syscall: " + call);
            assertEquals(SeccompActions.describe(meant.iterator().next()), SeccompActions.describe(filter.program().evaluate(call)),
                    call::toString);
        }
    }
}
