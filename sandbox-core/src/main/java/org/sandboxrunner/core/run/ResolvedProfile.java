package org.sandboxrunner.core.run;

import java.util.regex.Pattern;
import org.sandboxrunner.policy.Profile;

/** A loaded profile with the SHA-256 of its canonical form, which every result and audit event carries. */
public record ResolvedProfile(Profile profile, String sha256) {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public ResolvedProfile {
        if (profile == null) {
            throw new NullPointerException("profile");
        }
        if (sha256 == null || !HEX64.matcher(sha256).matches()) {
            throw new IllegalArgumentException("profile hash must be 64 lower-case hex digits, got " + sha256);
        }
    }

    public String name() {
        return profile.name();
    }
}
