package org.sandboxrunner.policy;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The SHA-256 of a profile's canonical form, in lower-case hex: what results and audit events carry
 * so that a run can be traced to the exact policy it ran under.
 */
public record ProfileHash(String hex) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public ProfileHash {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("a profile hash is 64 lower-case hex digits, got " + hex);
        }
    }

    public static ProfileHash of(Profile profile) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(CanonicalProfile.bytes(profile));
            return new ProfileHash(HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** {@code sha256:HEX}, the form shown to users. */
    @Override
    public String toString() {
        return "sha256:" + hex;
    }
}
