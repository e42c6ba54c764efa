package org.sandboxrunner.policy;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sandboxrunner.policy.wire.Describe;

/**
 * Sizes as profiles and the command line write them: a number of bytes, or digits with a {@code K},
 * {@code M} or {@code G} suffix (either case) meaning powers of 1024.
 */
public final class ByteSizes {

    private static final Pattern SIZE = Pattern.compile("([0-9]{1,19})([KkMmGg]?)");
    private static final String[] UNITS = {"KiB", "MiB", "GiB"};

    private ByteSizes() {}

    /**
     * Parses {@code 4096}, {@code 64K}, {@code 256M} or {@code 1G}.
     *
     * @throws IllegalArgumentException naming the text and what would be valid
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a size: a number of bytes, or digits with a K, M or G suffix"
                    + " (powers of 1024) such as 64M; got " + Describe.quote(text));
        }
        int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 0;
        };
        long digits;
        try {
            digits = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw tooLarge(text);
        }
        if (digits > (Long.MAX_VALUE >> shift)) {
            throw tooLarge(text);
        }
        return digits << shift;
    }

    private static IllegalArgumentException tooLarge(String text) {
        return new IllegalArgumentException("size " + Describe.quote(text) + " is larger than " + Long.MAX_VALUE + " bytes");
    }

    /** {@code 64 MiB} when the size is a whole number of a unit, else {@code 1000 bytes}. */
    public static String describe(long bytes) {
        for (int i = UNITS.length; i >= 1; i--) {
            long unit = 1L << (10 * i);
            if (bytes >= unit && bytes % unit == 0) {
                return (bytes / unit) + " " + UNITS[i - 1];
            }
        }
        return bytes + (bytes == 1 ? " byte" : " bytes");
    }
}
