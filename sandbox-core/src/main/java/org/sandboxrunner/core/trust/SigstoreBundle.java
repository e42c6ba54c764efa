package org.sandboxrunner.core.trust;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A Sigstore bundle (protobuf-specs sigstore_bundle.proto, JSON form) whose verification material is a
 * public key: either a {@code messageSignature} (ECDSA over the artifact's SHA-256) or a
 * {@code dsseEnvelope} (ECDSA over DSSE's pre-authentication encoding). Bundles carrying a certificate
 * (keyless signing) are refused: there is no Fulcio root in an offline trust policy. Transparency-log
 * entries and timestamps are parsed as JSON but not relied on.
 */
public final class SigstoreBundle {

    /** The bundle media types of versions 0.1 to 0.3 (cosign v3 writes 0.3). */
    static final Set<String> MEDIA_TYPES = Set.of("application/vnd.dev.sigstore.bundle+json;version=0.1",
            "application/vnd.dev.sigstore.bundle+json;version=0.2",
            "application/vnd.dev.sigstore.bundle+json;version=0.3",
            "application/vnd.dev.sigstore.bundle.v0.3+json");

    record BundleJson(String mediaType, MaterialJson verificationMaterial, MessageSignatureJson messageSignature,
                      DsseEnvelopeJson dsseEnvelope) {
    }

    record MaterialJson(KeyHintJson publicKey, JsonNode x509CertificateChain, JsonNode certificate,
                        List<JsonNode> tlogEntries, JsonNode timestampVerificationData) {
    }

    record KeyHintJson(String hint) {
    }

    record MessageSignatureJson(MessageDigestJson messageDigest, String signature) {
    }

    record MessageDigestJson(String algorithm, String digest) {
    }

    record DsseEnvelopeJson(String payload, String payloadType, List<DsseSignatureJson> signatures) {
    }

    record DsseSignatureJson(String sig, String keyid) {
    }

    /** What a bundle signs: a message digest, or a DSSE payload. */
    sealed interface Content {
    }

    /** ECDSA signature over an artifact whose SHA-256 is {@code sha256}. */
    record MessageSignature(byte[] sha256, byte[] signature) implements Content {
    }

    /** A DSSE envelope: payload type, payload bytes, one or more signatures. */
    record Dsse(String payloadType, byte[] payload, List<byte[]> signatures) implements Content {
    }

    private final String source;
    private final Optional<String> keyHint;
    private final Content content;

    private SigstoreBundle(String source, Optional<String> keyHint, Content content) {
        this.source = source;
        this.keyHint = keyHint;
        this.content = content;
    }

    public static SigstoreBundle parse(byte[] json, String source) throws TrustException {
        BundleJson b = StrictJson.read(json, BundleJson.class, source);
        if (b.mediaType() == null || !MEDIA_TYPES.contains(b.mediaType())) {
            throw new TrustException(source + ": unsupported bundle mediaType \"" + b.mediaType() + "\"");
        }
        MaterialJson m = b.verificationMaterial();
        if (m == null) {
            throw new TrustException(source + ": verificationMaterial is missing");
        }
        if (isPresent(m.certificate()) || isPresent(m.x509CertificateChain())) {
            throw new TrustException(source + ": the bundle is signed with a certificate (keyless);"
                    + " only public-key bundles are supported");
        }
        if (m.publicKey() == null) {
            throw new TrustException(source + ": verificationMaterial.publicKey is missing");
        }
        if ((b.messageSignature() == null) == (b.dsseEnvelope() == null)) {
            throw new TrustException(source + ": a bundle holds exactly one of messageSignature and dsseEnvelope");
        }
        Content content;
        if (b.messageSignature() != null) {
            MessageSignatureJson ms = b.messageSignature();
            if (ms.messageDigest() == null || !"SHA2_256".equals(ms.messageDigest().algorithm())) {
                throw new TrustException(source + ": messageSignature.messageDigest.algorithm must be SHA2_256");
            }
            byte[] digest = bytes(ms.messageDigest().digest(), source, "messageSignature.messageDigest.digest");
            if (digest.length != 32) {
                throw new TrustException(source + ": messageSignature.messageDigest.digest is not 32 bytes");
            }
            content = new MessageSignature(digest, bytes(ms.signature(), source, "messageSignature.signature"));
        } else {
            DsseEnvelopeJson e = b.dsseEnvelope();
            if (e.payloadType() == null || e.signatures() == null || e.signatures().isEmpty()) {
                throw new TrustException(source + ": dsseEnvelope needs payloadType and at least one signature");
            }
            List<byte[]> sigs = new ArrayList<>();
            for (DsseSignatureJson s : e.signatures()) {
                sigs.add(bytes(s.sig(), source, "dsseEnvelope.signatures[].sig"));
            }
            content = new Dsse(e.payloadType(), bytes(e.payload(), source, "dsseEnvelope.payload"), sigs);
        }
        return new SigstoreBundle(source, Optional.ofNullable(m.publicKey().hint()), content);
    }

    public Optional<String> keyHint() {
        return keyHint;
    }

    Content content() {
        return content;
    }

    /**
     * Verifies a message-signature bundle for an artifact whose SHA-256 is {@code artifactSha256}: the
     * bundle's digest must be that one, and its signature must verify with one of the keys. The verified
     * payload is the digest itself.
     */
    public VerifiedPayload verifyMessage(byte[] artifactSha256, List<SigstorePublicKey> keys) throws TrustException {
        if (!(content instanceof MessageSignature ms)) {
            throw new TrustException(source + ": expected a messageSignature bundle, found a DSSE envelope");
        }
        if (!java.security.MessageDigest.isEqual(ms.sha256(), artifactSha256)) {
            throw new TrustException(source + ": the bundle signs another artifact (messageDigest differs)");
        }
        for (SigstorePublicKey key : keys) {
            if (key.verifiesDigest(ms.sha256(), ms.signature())) {
                return new VerifiedPayload(ms.sha256(), key.keyId());
            }
        }
        throw new TrustException(source + ": the bundle's message signature does not verify with "
                + keysText(keys));
    }

    /** Verifies a DSSE bundle: some signature must verify over PAE(payloadType, payload) with one of the keys. */
    public VerifiedPayload verifyDsse(List<SigstorePublicKey> keys) throws TrustException {
        if (!(content instanceof Dsse dsse)) {
            throw new TrustException(source + ": expected a DSSE bundle, found a messageSignature");
        }
        byte[] pae = preAuthenticationEncoding(dsse.payloadType(), dsse.payload());
        for (SigstorePublicKey key : keys) {
            for (byte[] sig : dsse.signatures()) {
                if (key.verifies(pae, sig)) {
                    return new VerifiedPayload(dsse.payload(), key.keyId());
                }
            }
        }
        throw new TrustException(source + ": no DSSE signature verifies with " + keysText(keys));
    }

    public boolean isDsse() {
        return content instanceof Dsse;
    }

    /** The DSSE payload type, for DSSE bundles. */
    public Optional<String> payloadType() {
        return content instanceof Dsse d ? Optional.of(d.payloadType()) : Optional.empty();
    }

    /** DSSE v1 PAE: {@code "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body}, lengths in ASCII decimal. */
    static byte[] preAuthenticationEncoding(String payloadType, byte[] payload) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(type);
        out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static String keysText(List<SigstorePublicKey> keys) {
        return keys.size() == 1 ? "the trusted key " + keys.get(0).keyId() : "any of the " + keys.size() + " trusted keys";
    }

    private static boolean isPresent(JsonNode node) {
        return node != null && !node.isNull();
    }

    /** protobuf's JSON form writes bytes as base64, standard or URL-safe alphabet. */
    private static byte[] bytes(String text, String source, String field) throws TrustException {
        if (text == null) {
            throw new TrustException(source + ": " + field + " is missing");
        }
        try {
            return text.indexOf('-') >= 0 || text.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(text)
                    : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new TrustException(source + ": " + field + " is not base64", e);
        }
    }
}
