package org.sandboxrunner.seccomp;

import org.sandboxrunner.policy.SeccompOperator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Refuses rule sets on which libseccomp 2.5.4's rule database never returns from
 * seccomp_rule_add_array (it spins in its tree merge; reproduced here with python3-seccomp too): two
 * rules for one syscall whose conditions, in libseccomp's order (by argument index), start with the same
 * comparisons, the last shared one being NE, LT, LE, GE or GT, and which both go on to compare more
 * arguments, e.g. {@code a0 != 7 && a1 <= 8} then {@code a0 != 7 && a1 == 5}. A shared EQ or
 * MASKED_EQ prefix is safe, and so are rules that stop at the shared prefix. Each pair is judged twice:
 * with comparisons shared when they are equal, as 64-bit ABIs see them, and when they differ only above
 * bit 31, as 32-bit ABIs (where libseccomp compares the low words only) see them. Both views matter:
 * {@code a1 > 2^40 && a5 != 0} then {@code a1 > 2^40 && a5 != 2^63} stop at a shared part on i386
 * but share only {@code a1 > 2^40} on x86_64, where libseccomp 2.5.4 spins (found by the decision
 * property with a random seed, reproduced with python3-seccomp). In the 64-bit view a shared MASKED_EQ
 * with mask 0 does not count as the end of the shared part ({@link #alwaysHolds}). A native call that never returns
 * cannot be interrupted; refusing first keeps {@link CompileWatchdog} for shapes not known yet.
 */
final class LoopGuard {
    private LoopGuard() {}

    /** One libseccomp rule about to be added: where it comes from, its syscall and its ANDed conditions. */
    record Rule(String where, String syscall, List<ArgCondition> conditions) {}

    static void check(List<Rule> rules, String libseccompVersion) {
        Map<String, List<Rule>> bySyscall = new LinkedHashMap<>();
        for (Rule rule : rules) {
            bySyscall.computeIfAbsent(rule.syscall(), k -> new ArrayList<>()).add(rule);
        }
        for (List<Rule> sameSyscall : bySyscall.values()) {
            for (int i = 0; i < sameSyscall.size(); i++) {
                for (int j = i + 1; j < sameSyscall.size(); j++) {
                    check(sameSyscall.get(i), sameSyscall.get(j), libseccompVersion);
                }
            }
        }
    }

    private static void check(Rule a, Rule b, String libseccompVersion) {
        check(a, b, libseccompVersion, ArgCondition::equals, true);
        check(a, b, libseccompVersion, LoopGuard::sameLowWords, false);
    }

    private static void check(Rule a, Rule b, String libseccompVersion, BiPredicate<ArgCondition, ArgCondition> same,
                              boolean zeroMaskSeeThrough) {
        List<ArgCondition> x = ordered(a.conditions());
        List<ArgCondition> y = ordered(b.conditions());
        int shared = 0;
        while (shared < x.size() && shared < y.size() && same.test(x.get(shared), y.get(shared))) {
            shared++;
        }
        if (shared == 0 || shared == x.size() || shared == y.size()) {
            return;
        }
        int lastIndex = shared - 1;
        while (zeroMaskSeeThrough && lastIndex >= 0 && alwaysHolds(x.get(lastIndex))) {
            lastIndex--;
        }
        if (lastIndex < 0) {
            return;
        }
        SeccompOperator last = x.get(lastIndex).op();
        if (last == SeccompOperator.SCMP_CMP_EQ || last == SeccompOperator.SCMP_CMP_MASKED_EQ) {
            return;
        }
        String where = a.where().equals(b.where()) ? a.where() : a.where() + " and " + b.where();
        throw new SeccompException(where + ": two rules for '" + a.syscall() + "' both start with "
                + x.subList(0, shared) + " and then compare more arguments (" + x.get(shared) + " / " + y.get(shared)
                + "); libseccomp " + libseccompVersion + " never finishes adding such a pair when the shared part ends with"
                + " NE, LT, LE, GE or GT. Merge the rules or make their first comparisons differ");
    }

    private static List<ArgCondition> ordered(List<ArgCondition> conditions) {
        return conditions.stream().sorted(Comparator.comparingInt(ArgCondition::index)).toList();
    }

    /**
     * A MASKED_EQ with mask 0 holds for every argument; on 64-bit ABIs libseccomp 2.5.4 then behaves as
     * if the shared part ended with the comparison before it ({@code a0 != 15 && a1 & 0 == 0} followed by
     * {@code a4 > x} or {@code a4 == 11} spins on x86_64, not on i386).
     */
    private static boolean alwaysHolds(ArgCondition condition) {
        return condition.op() == SeccompOperator.SCMP_CMP_MASKED_EQ && condition.datumA() == 0;
    }

    /** Comparisons that differ at most above bit 31, which 32-bit ABIs do not see. */
    private static boolean sameLowWords(ArgCondition x, ArgCondition y) {
        return x.index() == y.index() && x.op() == y.op() && (int) x.datumA() == (int) y.datumA()
                && (int) x.datumB() == (int) y.datumB();
    }
}
