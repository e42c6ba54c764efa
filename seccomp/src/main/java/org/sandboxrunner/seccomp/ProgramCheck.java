package org.sandboxrunner.seccomp;

import org.sandboxrunner.policy.SeccompArg;
import org.sandboxrunner.policy.SeccompSpec;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The compile-time self-check: the program libseccomp exported must decide every probe of
 * {@link ProbeSet} as the section means ({@link SectionMeaning}). libseccomp 2.5.x has produced
 * programs that do not (issue 4, docs/seccomp.md); such a program is never handed to the native stage.
 */
final class ProgramCheck {
    private ProgramCheck() {}

    /** @throws SeccompException naming the entries, the probe, and both answers, on the first disagreement */
    static void check(SeccompSpec spec, BpfProgram program, List<CoveredAbi> covered, LibSeccomp lib) {
        SectionMeaning meaning = new SectionMeaning(spec, covered, lib);
        for (ProbeSet.Probe probe : ProbeSet.of(spec, covered, lib)) {
            SeccompData call = probe.call();
            Optional<CoveredAbi> abi = meaning.abiOf(call);
            int actual = program.evaluate(call, abi.map(CoveredAbi::order).orElse(ByteOrder.nativeOrder()));
            Set<Integer> meant = meaning.decide(call);
            if (!meant.contains(actual)) {
                throw new SeccompException(describe(meaning, abi, call) + ": the section means " + actions(meant)
                        + " but the BPF program libseccomp " + lib.version() + " produced returns " + SeccompActions.describe(actual)
                        + "; this is a libseccomp miscompile, so the profile is refused (docs/seccomp.md, Known defects)");
            }
        }
    }

    private static String describe(SectionMeaning meaning, Optional<CoveredAbi> abi, SeccompData call) {
        String args = call.args().stream().map(a -> "0x" + Long.toHexString(a)).collect(Collectors.joining(", ", "[", "]"));
        if (abi.isEmpty()) {
            return "linux.seccomp.architectures: a call from uncovered arch 0x" + Integer.toHexString(call.arch())
                    + ", nr " + call.nr() + ", args " + args;
        }
        Optional<String> name = meaning.nameOf(abi.get(), call.nr());
        List<SectionMeaning.Entry> entries = name.map(meaning::entriesFor).orElse(List.of());
        String where = entries.isEmpty()
                ? "linux.seccomp (no entry names " + name.orElse("this number") + ")"
                : entries.stream().map(e -> e.where() + " (" + name.get() + " " + SeccompActions.describe(e.action())
                        + conditions(e) + ")").collect(Collectors.joining(" and "));
        return where + ": on " + abi.get().architecture() + ", nr " + call.nr() + name.map(n -> " (" + n + ")").orElse("")
                + ", args " + args;
    }

    private static String conditions(SectionMeaning.Entry entry) {
        if (entry.byIndex().isEmpty()) {
            return "";
        }
        return entry.byIndex().values().stream()
                .map(alternatives -> alternatives.stream().map(ProgramCheck::condition).collect(Collectors.joining(" || ", "(", ")")))
                .collect(Collectors.joining(" && ", " if ", ""));
    }

    private static String condition(SeccompArg arg) {
        return new ArgCondition(arg.index(), arg.op(), arg.value(), arg.valueTwo()).toString();
    }

    private static String actions(Set<Integer> actions) {
        return actions.size() == 1 ? SeccompActions.describe(actions.iterator().next())
                : actions.stream().map(SeccompActions::describe).sorted().collect(Collectors.joining(", ", "one of [", "]"));
    }
}
