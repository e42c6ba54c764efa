package org.sandboxrunner.capabilities;

/**
 * One soft or hard resource limit: a finite unsigned 64-bit value, or unlimited
 * ({@code RLIM_INFINITY}, all 64 bits set, which {@code /proc/PID/limits} prints as
 * {@code unlimited}). {@link #raw()} is what setrlimit(2) takes.
 */
public record RlimitValue(long raw) {
    private static final String UNLIMITED_TEXT = "unlimited";

    public static final RlimitValue UNLIMITED = new RlimitValue(-1L);

    /** A finite limit; {@code value} is unsigned and must not be all ones, which means unlimited. */
    public static RlimitValue of(long value) {
        if (value == -1L) {
            throw new IllegalArgumentException("18446744073709551615 is RLIM_INFINITY; use RlimitValue.UNLIMITED");
        }
        return new RlimitValue(value);
    }

    /** Reads {@code unlimited} or an unsigned decimal number, as {@code /proc/PID/limits} prints them. */
    public static RlimitValue parse(String text) {
        if (text.equals(UNLIMITED_TEXT)) {
            return UNLIMITED;
        }
        if (!text.matches("[0-9]{1,20}")) {
            throw new IllegalArgumentException("\"" + text + "\" is neither \"unlimited\" nor a decimal number");
        }
        return of(Long.parseUnsignedLong(text));
    }

    public boolean isUnlimited() {
        return raw == -1L;
    }

    /** {@code unlimited} or the unsigned decimal value. */
    @Override
    public String toString() {
        return isUnlimited() ? UNLIMITED_TEXT : Long.toUnsignedString(raw);
    }
}
