package org.sandboxrunner.core.launch;

/** One rlimit to set, by its RLIMIT_* name; {@link #INFINITY} is RLIM_INFINITY. */
public record Rlimit(String name, long soft, long hard) {

    /** RLIM_INFINITY is all ones as an unsigned 64-bit value. */
    public static final long INFINITY = -1L;

    public Rlimit {
        if (name == null || !name.startsWith("RLIMIT_")) {
            throw new IllegalArgumentException("not an RLIMIT_* name: " + name);
        }
    }
}
