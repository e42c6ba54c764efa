package org.sandboxrunner.seccomp;

import org.junit.jupiter.api.Test;
import org.sandboxrunner.policy.SeccompArg;
import org.sandboxrunner.policy.SeccompOperator;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.sandboxrunner.policy.SeccompOperator.SCMP_CMP_EQ;
import static org.sandboxrunner.policy.SeccompOperator.SCMP_CMP_MASKED_EQ;

class ConditionSetsTest {
    private static ArgCondition c(int index, long value) {
        return new ArgCondition(index, SCMP_CMP_EQ, value, 0);
    }

    @Test
    void noArgsIsOneUnconditionalRule() {
        assertEquals(List.of(List.of()), ConditionSets.expand(List.of(), "x"));
    }

    @Test
    void distinctIndexesStayInOneRule() {
        assertEquals(List.of(List.of(c(0, 1), c(2, 3))),
                ConditionSets.expand(List.of(Specs.eq(0, 1), Specs.eq(2, 3)), "x"));
    }

    @Test
    void repeatedIndexesBecomeAlternativesCombinedWithTheOthers() {
        assertEquals(List.of(List.of(c(0, 1), c(1, 7)), List.of(c(0, 2), c(1, 7))),
                ConditionSets.expand(List.of(Specs.eq(0, 1), Specs.eq(1, 7), Specs.eq(0, 2)), "x"));
        assertEquals(List.of(List.of(c(0, 1), c(1, 7)), List.of(c(0, 1), c(1, 8)), List.of(c(0, 2), c(1, 7)), List.of(c(0, 2), c(1, 8))),
                ConditionSets.expand(List.of(Specs.eq(0, 1), Specs.eq(0, 2), Specs.eq(1, 7), Specs.eq(1, 8)), "x"));
        assertEquals(List.of(List.of(c(0, 1))), ConditionSets.expand(List.of(Specs.eq(0, 1), Specs.eq(0, 1)), "x"),
                "an exact duplicate adds nothing");
    }

    @Test
    void maskedEqKeepsMaskAndDatum() {
        assertEquals(List.of(List.of(new ArgCondition(1, SCMP_CMP_MASKED_EQ, 0xffff_ffffL, 0x5412))),
                ConditionSets.expand(List.of(Specs.masked(1, 0xffff_ffffL, 0x5412)), "x"));
    }

    @Test
    void valueTwoOutsideMaskedEqAndHugeProductsAreRefused() {
        assertEquals("linux.seccomp.syscalls[2].args[0]: valueTwo is only used by SCMP_CMP_MASKED_EQ, but op is SCMP_CMP_GT"
                        + " and valueTwo is 18446744073709551615",
                assertThrows(SeccompException.class, () -> ConditionSets.expand(
                        List.of(new SeccompArg(0, 1, -1, SeccompOperator.SCMP_CMP_GT)), "linux.seccomp.syscalls[2]")).getMessage());
        List<SeccompArg> many = new java.util.ArrayList<>();
        for (int index = 0; index < 3; index++) {
            for (int value = 0; value < 7; value++) {
                many.add(Specs.eq(index, value));
            }
        }
        assertEquals("x.args: the alternatives on repeated argument indexes combine into 343 libseccomp rules, more than 256;"
                + " split the entry", assertThrows(SeccompException.class, () -> ConditionSets.expand(many, "x")).getMessage());
        List<SeccompArg> fewer = many.stream().filter(a -> a.value() < 6).toList();
        assertEquals(216, ConditionSets.expand(fewer, "x").size(), "6 x 6 x 6 rules are within the bound");
    }
}
