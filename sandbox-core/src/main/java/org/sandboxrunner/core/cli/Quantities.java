package org.sandboxrunner.core.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;

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

    /** "64M" -> 67108864; plain numbers are bytes. */
    static long bytes(String option, String text) {
        String t = text.trim();
        long unit = 1;
        if (!t.isEmpty()) {
            switch (Character.toUpperCase(t.charAt(t.length() - 1))) {
                case 'K' -> unit = 1L << 10;
                case 'M' -> unit = 1L << 20;
                case 'G' -> unit = 1L << 30;
                default -> { }
            }
        }
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(option + " takes a size such as 256M, 1G or 4096 (bytes), got '" + text + "'");
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
