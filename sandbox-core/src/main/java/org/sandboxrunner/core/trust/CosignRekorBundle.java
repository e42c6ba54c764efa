package org.sandboxrunner.core.trust;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.util.Base64;
import org.sandboxrunner.core.image.Digest;

/**
 * The Rekor SET cosign attaches to a key-based signature ({@code dev.sigstore.cosign/bundle} annotation):
 * {@code {"SignedEntryTimestamp": ..., "Payload": {"body", "integratedTime", "logIndex", "logID"}}}. It is
 * checked when a {@code sigstoreSigned} requirement names a Rekor key, as containers/image does: the SET
 * must verify with that key, and the logged hashedrekord body must name this payload's SHA-256 and this
 * signature.
 */
public final class CosignRekorBundle {

    public static final String ANNOTATION = "dev.sigstore.cosign/bundle";

    record BundleJson(@JsonProperty("SignedEntryTimestamp") String signedEntryTimestamp,
                      @JsonProperty("Payload") PayloadJson payload) {
    }

    record PayloadJson(String body, Long integratedTime, Long logIndex, @JsonProperty("logID") String logId) {
    }

    private CosignRekorBundle() {
    }

    /** Verifies the annotation of {@code signature} against {@code log}; returns the entry's log index. */
    public static long verify(ImageSignature.Cosign signature, RekorLog log) throws TrustException {
        String annotation = signature.annotations().get(ANNOTATION);
        if (annotation == null) {
            throw new TrustException("no " + ANNOTATION + " annotation, but the requirement names a Rekor key");
        }
        BundleJson b = StrictJson.read(annotation.getBytes(java.nio.charset.StandardCharsets.UTF_8), BundleJson.class,
                ANNOTATION + " annotation");
        PayloadJson p = b.payload();
        if (b.signedEntryTimestamp() == null || p == null || p.body() == null || p.integratedTime() == null
                || p.logIndex() == null || p.logId() == null) {
            throw new TrustException(ANNOTATION + " annotation lacks SignedEntryTimestamp or a Payload field");
        }
        byte[] set;
        byte[] body;
        byte[] sig;
        try {
            set = Base64.getDecoder().decode(b.signedEntryTimestamp());
            body = Base64.getDecoder().decode(p.body());
            sig = Base64.getDecoder().decode(signature.annotations().getOrDefault(
                    ImageSignature.Cosign.SIGNATURE_ANNOTATION, ""));
        } catch (IllegalArgumentException e) {
            throw new TrustException(ANNOTATION + " annotation has a field that is not base64", e);
        }
        log.verifySet(p.body(), p.integratedTime(), p.logIndex(), p.logId(), set);
        JsonNode spec = StrictJson.tree(body, "Rekor entry body").path("spec");
        JsonNode hash = spec.path("data").path("hash");
        if (!"sha256".equals(hash.path("algorithm").asText())
                || !Digest.sha256(signature.payload()).hex().equals(hash.path("value").asText())) {
            throw new TrustException("the Rekor entry logs another payload");
        }
        byte[] logged;
        try {
            logged = Base64.getDecoder().decode(spec.path("signature").path("content").asText(""));
        } catch (IllegalArgumentException e) {
            throw new TrustException("the Rekor entry's signature is not base64", e);
        }
        if (!MessageDigest.isEqual(logged, sig)) {
            throw new TrustException("the Rekor entry logs another signature");
        }
        return p.logIndex();
    }
}
