package org.sandboxrunner.policy;

/**
 * OCI {@code process.rlimits[]}: {@code type} is an RLIMIT_* name. {@link #UNLIMITED} stands for
 * RLIM_INFINITY.
 */
public record RlimitSpec(String type, long soft, long hard) {

    public static final long UNLIMITED = -1;

    /** A limit as users write it: a number, or {@code unlimited}. */
    public static String describe(long value) {
        return value == UNLIMITED ? "unlimited" : Long.toString(value);
    }

    public RlimitSpec {
        Checks.required(type, "process.rlimits[].type");
        if (!type.startsWith("RLIMIT_")) {
            throw new IllegalArgumentException("process.rlimits[].type must be an RLIMIT_* name, got '" + type + "'");
        }
        if (soft < UNLIMITED || hard < UNLIMITED) {
            throw new IllegalArgumentException(type + ": limits must be -1 (unlimited) or non-negative");
        }
        if (hard != UNLIMITED && (soft == UNLIMITED || soft > hard)) {
            throw new IllegalArgumentException(type + ": soft limit " + soft + " exceeds hard limit " + hard);
        }
    }
}
