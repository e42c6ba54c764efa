package org.sandboxrunner.core.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.sandboxrunner.policy.ByteSizes;

/** Parses the CLI's durations (seconds, fractional allowed) and sizes (K, M, G suffixes, powers of 1024). */
final class Quantities {
    private Quantities() {}

    /** "0.5" -> 500 ms; must be positive. */
    static long secondsToMillis(String option, String text) {
        try {
            BigDecimal seconds = new BigDecimal(text.trim());
            if (seconds.signum() <= 0) {
                throw new IllegalArgumentException(option + " must be a positive number of seconds, got '" + text + "'");
            }
            long ms = seconds.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
            return Math.max(ms, 1);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(option + " takes seconds such as 2 or 0.5, got '" + text + "'");
        }
    }

    /** "64M" -> 67108864 (the profiles' size syntax); the message names the option. */
    static long bytes(String option, String text) {
        try {
            return ByteSizes.parse(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    static long positive(String option, String text) {
        try {
            long n = Long.parseLong(text.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " takes a positive whole number, got '" + text + "'");
    }
}
