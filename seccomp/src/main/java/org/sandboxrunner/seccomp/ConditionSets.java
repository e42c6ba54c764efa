package org.sandboxrunner.seccomp;

import org.sandboxrunner.policy.SeccompArg;
import org.sandboxrunner.policy.SeccompOperator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the {@code args} of one OCI syscall rule into libseccomp rules. libseccomp ANDs the
 * conditions of one rule and refuses two conditions on the same argument (EINVAL), so: conditions on
 * the same argument index are alternatives (ORed) and conditions on different indexes must all hold
 * (ANDed). The rule becomes one libseccomp rule per combination that takes one condition from each
 * index, e.g. {@code a0==1, a0==2, a1==7} gives {@code (a0==1 && a1==7)} and {@code (a0==2 && a1==7)}.
 * Where every condition is on one index, or every index appears once, this is exactly what runc and
 * crun do; they differ only for a mix of both, where they OR every condition separately
 * (docs/seccomp.md).
 */
final class ConditionSets {
    /** A bound on the product, far above any published profile; the BPF size limit would bite first. */
    static final int MAX_RULES_PER_ENTRY = 256;

    private ConditionSets() {}

    /**
     * The conditions of each libseccomp rule, in a stable order (indexes in first-appearance order,
     * conditions in profile order, exact duplicates dropped); one empty list for a rule without args.
     */
    static List<List<ArgCondition>> expand(List<SeccompArg> args, String where) {
        Map<Integer, Set<ArgCondition>> byIndex = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            SeccompArg arg = args.get(i);
            if (arg.op() != SeccompOperator.SCMP_CMP_MASKED_EQ && arg.valueTwo() != 0) {
                throw new SeccompException(where + ".args[" + i + "]: valueTwo is only used by SCMP_CMP_MASKED_EQ, but op is "
                        + arg.op() + " and valueTwo is " + Long.toUnsignedString(arg.valueTwo()));
            }
            byIndex.computeIfAbsent(arg.index(), k -> new LinkedHashSet<>())
                    .add(new ArgCondition(arg.index(), arg.op(), arg.value(), arg.valueTwo()));
        }
        long count = 1;
        for (Set<ArgCondition> alternatives : byIndex.values()) {
            count *= alternatives.size();
        }
        if (count > MAX_RULES_PER_ENTRY) {
            throw new SeccompException(where + ".args: the alternatives on repeated argument indexes combine into " + count
                    + " libseccomp rules, more than " + MAX_RULES_PER_ENTRY + "; split the entry");
        }
        List<List<ArgCondition>> rules = new ArrayList<>();
        rules.add(List.of());
        for (Set<ArgCondition> alternatives : byIndex.values()) {
            List<List<ArgCondition>> next = new ArrayList<>();
            for (List<ArgCondition> partial : rules) {
                for (ArgCondition condition : alternatives) {
                    List<ArgCondition> extended = new ArrayList<>(partial);
                    extended.add(condition);
                    next.add(List.copyOf(extended));
                }
            }
            rules = next;
        }
        return List.copyOf(rules);
    }
}
