package org.sandboxrunner.tests.fidelity;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Collects every field that differs from what the profile asked, and fails once with all of them. */
final class FieldCheck {
    private final List<String> mismatches = new ArrayList<>();

    void equal(String field, Object expected, Object observed) {
        if (!Objects.equals(expected, observed)) {
            mismatches.add(field + ": expected " + expected + ", observed " + observed);
        }
    }

    /** A difference already phrased, such as a {@code CapabilityDiff} sentence. */
    void mismatch(String field, String sentence) {
        mismatches.add(field + ": " + sentence);
    }

    /** @param context what was run and under which profile, for the failure message */
    void verify(String context) {
        if (!mismatches.isEmpty()) {
            throw new AssertionError(mismatches.size() + " field(s) differ from the profile:\n  "
                    + String.join("\n  ", mismatches) + "\n" + context);
        }
    }
}
