package org.sandboxrunner.capabilities;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Finds the valid names closest to a misspelled one, for "did you mean" hints in error messages. */
final class Suggestions {
    private static final int MAX_SUGGESTIONS = 3;

    private Suggestions() {
    }

    /**
     * The candidates at the smallest edit distance from {@code input}, in the candidates' order, at
     * most three of them; none when even the closest needs more edits than a quarter of the input's
     * length (at least one), because a far-off guess misleads more than it helps.
     */
    static List<String> closest(String input, Collection<String> candidates) {
        int limit = Math.max(1, input.length() / 4);
        int best = Integer.MAX_VALUE;
        List<String> closest = new ArrayList<>();
        for (String candidate : candidates) {
            int distance = editDistance(input, candidate);
            if (distance > limit || distance > best) {
                continue;
            }
            if (distance < best) {
                best = distance;
                closest.clear();
            }
            closest.add(candidate);
        }
        return List.copyOf(closest.subList(0, Math.min(MAX_SUGGESTIONS, closest.size())));
    }

    /** " (did you mean A or B?)", or "" when nothing is close. */
    static String hint(String input, Collection<String> candidates) {
        List<String> closest = closest(input, candidates);
        return closest.isEmpty() ? "" : " (did you mean " + String.join(" or ", closest) + "?)";
    }

    /** Levenshtein distance: the fewest single-character insertions, deletions and substitutions. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
