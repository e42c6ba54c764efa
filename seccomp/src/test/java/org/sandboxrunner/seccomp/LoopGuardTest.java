package org.sandboxrunner.seccomp;

import org.junit.jupiter.api.Test;
import org.sandboxrunner.policy.SeccompOperator;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.sandboxrunner.policy.SeccompOperator.SCMP_CMP_EQ;
import static org.sandboxrunner.policy.SeccompOperator.SCMP_CMP_GT;
import static org.sandboxrunner.policy.SeccompOperator.SCMP_CMP_LE;
import static org.sandboxrunner.policy.SeccompOperator.SCMP_CMP_MASKED_EQ;
import static org.sandboxrunner.policy.SeccompOperator.SCMP_CMP_NE;

/**
 * The shapes below were run against libseccomp 2.5.4 through python3-seccomp with a timeout while the
 * guard was written: the refused ones never returned from seccomp_rule_add, the accepted ones did. The
 * a5 != 0 / a5 != 2^63 pair came from DifferentialPropertyTest (seed -608470647858767132), caught by
 * the compile watchdog before the guard knew it.
 */
class LoopGuardTest {
    private static ArgCondition c(int index, SeccompOperator op, long value) {
        return new ArgCondition(index, op, value, 0);
    }

    private static void check(List<ArgCondition> first, List<ArgCondition> second) {
        LoopGuard.check(List.of(new LoopGuard.Rule("syscalls[0]", "getpid", first), new LoopGuard.Rule("syscalls[1]", "getpid", second)),
                "2.5.4");
    }

    @Test
    void refusesASharedRangeOrNePrefixWithDifferentContinuations() {
        SeccompException e = assertThrows(SeccompException.class, () -> check(
                List.of(c(0, SCMP_CMP_NE, 7), c(1, SCMP_CMP_LE, 8)), List.of(c(1, SCMP_CMP_EQ, 5), c(0, SCMP_CMP_NE, 7))));
        assertEquals("syscalls[0] and syscalls[1]: two rules for 'getpid' both start with [a0 NE 7] and then compare more"
                + " arguments (a1 LE 8 / a1 EQ 5); libseccomp 2.5.4 never finishes adding such a pair when the shared part ends"
                + " with NE, LT, LE, GE or GT. Merge the rules or make their first comparisons differ", e.getMessage());
        assertThrows(SeccompException.class, () -> check(
                List.of(c(0, SCMP_CMP_EQ, 7), c(1, SCMP_CMP_NE, 3), c(2, SCMP_CMP_LE, 8)),
                List.of(c(0, SCMP_CMP_EQ, 7), c(1, SCMP_CMP_NE, 3), c(2, SCMP_CMP_EQ, 5))));
        assertThrows(SeccompException.class, () -> check(
                List.of(c(0, SCMP_CMP_NE, 0x1_0000_0007L), c(1, SCMP_CMP_LE, 8)), List.of(c(0, SCMP_CMP_NE, 7), c(2, SCMP_CMP_EQ, 5))),
                "32-bit ABIs see both as a0 != 7");
        SeccompException e64 = assertThrows(SeccompException.class, () -> check(
                List.of(c(1, SCMP_CMP_GT, 3139294448121L), c(5, SCMP_CMP_NE, 0)),
                List.of(c(1, SCMP_CMP_GT, 3139294448121L), c(5, SCMP_CMP_NE, Long.MIN_VALUE))),
                "64-bit ABIs see a5 != 0 and a5 != 2^63 as different continuations of a1 > 3139294448121");
        assertEquals("syscalls[0] and syscalls[1]: two rules for 'getpid' both start with [a1 GT 3139294448121] and then compare"
                + " more arguments (a5 NE 0 / a5 NE 9223372036854775808); libseccomp 2.5.4 never finishes adding such a pair when"
                + " the shared part ends with NE, LT, LE, GE or GT. Merge the rules or make their first comparisons differ", e64.getMessage());
        assertThrows(SeccompException.class, () -> check(
                List.of(c(0, SCMP_CMP_NE, 15), new ArgCondition(1, SCMP_CMP_MASKED_EQ, 0, -104), c(4, SCMP_CMP_GT, 9883314088277L)),
                List.of(c(0, SCMP_CMP_NE, 15), new ArgCondition(1, SCMP_CMP_MASKED_EQ, 0, -104), c(4, SCMP_CMP_EQ, 11))),
                "a MASKED_EQ with mask 0 does not end the shared part (decision property seed 20261125003)");
    }

    @Test
    void acceptsWhatLibseccompFinishes() {
        assertDoesNotThrow(() -> check(List.of(c(0, SCMP_CMP_NE, 7), c(1, SCMP_CMP_LE, 8)), List.of(c(0, SCMP_CMP_NE, 9), c(1, SCMP_CMP_EQ, 5))));
        assertDoesNotThrow(() -> check(List.of(c(0, SCMP_CMP_EQ, 7), c(1, SCMP_CMP_LE, 3)), List.of(c(0, SCMP_CMP_EQ, 7), c(1, SCMP_CMP_EQ, 5))));
        assertDoesNotThrow(() -> check(List.of(c(0, SCMP_CMP_MASKED_EQ, 5), c(1, SCMP_CMP_LE, 8)),
                List.of(c(0, SCMP_CMP_MASKED_EQ, 5), c(1, SCMP_CMP_EQ, 5))));
        assertDoesNotThrow(() -> check(List.of(c(0, SCMP_CMP_NE, 7)), List.of(c(0, SCMP_CMP_NE, 7), c(1, SCMP_CMP_EQ, 5))));
        LoopGuard.check(List.of(new LoopGuard.Rule("a", "getpid", List.of(c(0, SCMP_CMP_NE, 7), c(1, SCMP_CMP_LE, 8))),
                new LoopGuard.Rule("b", "getppid", List.of(c(0, SCMP_CMP_NE, 7), c(1, SCMP_CMP_EQ, 5)))), "2.5.4");
    }
}
