package org.sandboxrunner.core.trust;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import org.sandboxrunner.core.image.Digest;

/**
 * The signed JSON of a "simple signing" image signature (containers/image docs/containers-signature.5.md):
 * {@code critical.type}, {@code critical.image.docker-manifest-digest}, {@code critical.identity.docker-reference}
 * and an {@code optional} object. It is parsed only after its signature verified. As containers/image does,
 * the critical part must have exactly these fields (an unknown critical field would be a meaning we do
 * not understand), while unknown optional fields are ignored.
 */
public record SimpleSigningPayload(String type, Digest manifestDigest, DockerReference identity,
                                   Optional<String> creator, Optional<Long> timestamp) {

    /** critical.type of GPG signatures (skopeo --sign-by). */
    public static final String ATOMIC_TYPE = "atomic container signature";
    /** critical.type of cosign / sigstore signatures. */
    public static final String COSIGN_TYPE = "cosign container image signature";

    public SimpleSigningPayload {
        if (type == null || manifestDigest == null || identity == null || creator == null || timestamp == null) {
            throw new IllegalArgumentException("payload parts must not be null");
        }
    }

    /** Parses verified payload bytes, requiring {@code critical.type} to be {@code expectedType}. */
    public static SimpleSigningPayload parse(byte[] json, String expectedType) throws TrustException {
        JsonNode root = StrictJson.tree(json, "signature payload");
        exactFields(root, Set.of("critical", "optional"), "signature payload");
        JsonNode critical = root.get("critical");
        exactFields(critical, Set.of("type", "image", "identity"), "signature payload critical");
        String type = text(critical.get("type"), "critical.type");
        if (!type.equals(expectedType)) {
            throw new TrustException("signature payload: critical.type is \"" + type + "\", expected \""
                    + expectedType + "\"");
        }
        JsonNode image = critical.get("image");
        exactFields(image, Set.of("docker-manifest-digest"), "signature payload critical.image");
        Digest digest;
        try {
            digest = Digest.parse(text(image.get("docker-manifest-digest"), "critical.image.docker-manifest-digest"));
        } catch (IllegalArgumentException e) {
            throw new TrustException("signature payload: critical.image.docker-manifest-digest: " + e.getMessage(), e);
        }
        JsonNode identity = critical.get("identity");
        exactFields(identity, Set.of("docker-reference"), "signature payload critical.identity");
        DockerReference reference;
        try {
            reference = DockerReference.parse(text(identity.get("docker-reference"),
                    "critical.identity.docker-reference"));
        } catch (IllegalArgumentException e) {
            throw new TrustException("signature payload: critical.identity.docker-reference: " + e.getMessage(), e);
        }
        JsonNode optional = root.get("optional");
        Optional<String> creator = Optional.empty();
        Optional<Long> timestamp = Optional.empty();
        if (!optional.isNull()) {
            if (!optional.isObject()) {
                throw new TrustException("signature payload: optional must be an object or null");
            }
            JsonNode c = optional.get("creator");
            if (c != null) {
                creator = Optional.of(text(c, "optional.creator"));
            }
            JsonNode t = optional.get("timestamp");
            if (t != null) {
                if (!t.isIntegralNumber() || !t.canConvertToLong()) {
                    throw new TrustException("signature payload: optional.timestamp must be an integer");
                }
                timestamp = Optional.of(t.longValue());
            }
        }
        return new SimpleSigningPayload(type, digest, reference, creator, timestamp);
    }

    private static void exactFields(JsonNode node, Set<String> fields, String what) throws TrustException {
        if (node == null || !node.isObject()) {
            throw new TrustException(what + " must be a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!fields.contains(name)) {
                throw new TrustException(what + " has unknown field \"" + name + "\"");
            }
        }
        for (String f : fields) {
            if (!node.has(f)) {
                throw new TrustException(what + " is missing field \"" + f + "\"");
            }
        }
    }

    private static String text(JsonNode node, String where) throws TrustException {
        if (node == null || !node.isTextual()) {
            throw new TrustException("signature payload: " + where + " must be a string");
        }
        return node.textValue();
    }
}
