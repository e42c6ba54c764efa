package org.sandboxrunner.core.trust;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The subjects of an in-toto Statement (in-toto attestation framework, v0.1 and v1), read from a DSSE
 * payload that has already verified. Only {@code _type} and {@code subject[].digest.sha256} matter here:
 * an image is covered when one subject's sha256 is its manifest digest. The predicate is not interpreted.
 */
public final class InTotoStatement {

    public static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";
    private static final Set<String> TYPES = Set.of("https://in-toto.io/Statement/v0.1",
            "https://in-toto.io/Statement/v1");

    private InTotoStatement() {
    }

    /** The hex sha256 digests of the statement's subjects. */
    public static List<String> subjectSha256(byte[] payload) throws TrustException {
        JsonNode root = StrictJson.tree(payload, "in-toto statement");
        JsonNode type = root.get("_type");
        if (type == null || !TYPES.contains(type.asText())) {
            throw new TrustException("in-toto statement: unsupported _type " + type);
        }
        JsonNode subjects = root.get("subject");
        if (subjects == null || !subjects.isArray() || subjects.isEmpty()) {
            throw new TrustException("in-toto statement: subject must be a non-empty array");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode s : subjects) {
            JsonNode sha = s.path("digest").path("sha256");
            if (sha.isTextual()) {
                result.add(sha.textValue());
            }
        }
        return result;
    }
}
