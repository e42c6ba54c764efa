package org.sandboxrunner.audit;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What an audit event is about. Every field is optional (null, or an empty command) because a key
 * event has no run and a profile-load failure has no image; the wire form always carries every field
 * so each line has the same shape.
 *
 * @param runId the run's identifier
 * @param profile the profile name
 * @param profileSha256 SHA-256 of the profile's canonical form, 64 lowercase hex digits
 * @param imageDigest the image manifest digest, OCI form {@code algorithm:encoded}
 * @param signerKeyId the key that signed the image
 * @param command the workload's argv
 */
public record AuditObject(String runId, String profile, String profileSha256, String imageDigest, String signerKeyId,
        List<String> command) {

    /** An event about no run, profile or image (for example a key event). */
    public static final AuditObject NONE = new AuditObject(null, null, null, null, null, List.of());

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    // OCI image-spec descriptor.md: digest ::= algorithm ":" encoded
    private static final Pattern OCI_DIGEST = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");

    public AuditObject {
        requireNonBlank("runId", runId);
        requireNonBlank("profile", profile);
        requireNonBlank("signerKeyId", signerKeyId);
        if (profileSha256 != null && !SHA256_HEX.matcher(profileSha256).matches()) {
            throw new IllegalArgumentException("profileSha256 \"" + profileSha256 + "\" is not 64 lowercase hex digits");
        }
        if (imageDigest != null && !OCI_DIGEST.matcher(imageDigest).matches()) {
            throw new IllegalArgumentException("imageDigest \"" + imageDigest + "\" is not an OCI digest (algorithm:encoded)");
        }
        command = List.copyOf(command);
    }

    private static void requireNonBlank(String field, String value) {
        if (value != null && value.isBlank()) {
            throw new IllegalArgumentException(field + " is blank; leave it null when there is none");
        }
    }

    /** An object naming only a run. */
    public static AuditObject forRun(String runId) {
        return NONE.withRunId(runId);
    }

    public AuditObject withRunId(String value) {
        return new AuditObject(value, profile, profileSha256, imageDigest, signerKeyId, command);
    }

    public AuditObject withProfile(String name, String sha256) {
        return new AuditObject(runId, name, sha256, imageDigest, signerKeyId, command);
    }

    public AuditObject withImage(String digest, String signer) {
        return new AuditObject(runId, profile, profileSha256, digest, signer, command);
    }

    public AuditObject withCommand(List<String> argv) {
        return new AuditObject(runId, profile, profileSha256, imageDigest, signerKeyId, argv);
    }
}
