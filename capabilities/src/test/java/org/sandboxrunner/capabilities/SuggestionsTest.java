package org.sandboxrunner.capabilities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(3, Suggestions.editDistance("kitten", "sitting"));
        assertEquals(0, Suggestions.editDistance("", ""));
        assertEquals(4, Suggestions.editDistance("", "abcd"));
        assertEquals(1, Suggestions.editDistance("CAP_KILL", "CAP_KIL"));
    }

    @Property
    void editDistanceIsASymmetricMetricBoundedByTheLongerLength(
            @ForAll @StringLength(max = 12) String a, @ForAll @StringLength(max = 12) String b) {
        int distance = Suggestions.editDistance(a, b);
        assertEquals(distance, Suggestions.editDistance(b, a));
        assertEquals(distance == 0, a.equals(b));
        assertTrue(distance <= Math.max(a.length(), b.length()));
        assertTrue(distance >= Math.abs(a.length() - b.length()));
    }

    @Test
    void closestKeepsOnlyTheNearestAtMostThreeInCandidateOrder() {
        List<String> candidates = List.of("abcd", "abce", "abcf", "abcg", "abzz");
        assertEquals(List.of("abcd", "abce", "abcf"), Suggestions.closest("abcx", candidates));
        assertEquals(List.of("abcd"), Suggestions.closest("abcd", candidates));
        assertEquals(List.of(), Suggestions.closest("wxyz", candidates));
    }

    @Test
    void hintIsEmptyWhenNothingIsClose() {
        assertEquals(" (did you mean abcd?)", Suggestions.hint("abcd", List.of("abcd", "wxyz")));
        assertEquals("", Suggestions.hint("mnop", List.of("abcd", "wxyz")));
    }
}
