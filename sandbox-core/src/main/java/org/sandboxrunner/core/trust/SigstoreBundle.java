package org.sandboxrunner.core.trust;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
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
                        List<TlogEntryJson> tlogEntries, JsonNode timestampVerificationData) {
    }

    /** protobuf-specs TransparencyLogEntry; int64 fields are JSON strings in protobuf's JSON form. */
    record TlogEntryJson(String logIndex, LogIdJson logId, KindVersionJson kindVersion, String integratedTime,
                         PromiseJson inclusionPromise, ProofJson inclusionProof, String canonicalizedBody) {
    }

    record LogIdJson(String keyId) {
    }

    record KindVersionJson(String kind, String version) {
    }

    record PromiseJson(String signedEntryTimestamp) {
    }

    record ProofJson(String logIndex, String rootHash, String treeSize, List<String> hashes, CheckpointJson checkpoint) {
    }

    record CheckpointJson(String envelope) {
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
    private final List<TlogEntryJson> tlogEntries;

    private SigstoreBundle(String source, Optional<String> keyHint, Content content, List<TlogEntryJson> tlogEntries) {
        this.source = source;
        this.keyHint = keyHint;
        this.content = content;
        this.tlogEntries = tlogEntries == null ? List.of() : List.copyOf(tlogEntries);
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
        return new SigstoreBundle(source, Optional.ofNullable(m.publicKey().hint()), content, m.tlogEntries());
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

    /**
     * Requires a transparency-log entry of {@code log} for this bundle: its body must describe this very
     * signature (hashedrekord: the message digest and signature; intoto/dsse: the payload hash), and its
     * signed entry timestamp and/or its inclusion proof with a signed checkpoint must verify (at least one
     * present, every present one valid). Returns the log index of the entry that verified.
     */
    public long verifyTlog(RekorLog log) throws TrustException {
        if (tlogEntries.isEmpty()) {
            throw new TrustException(source + ": the bundle has no transparency-log entry");
        }
        List<String> reasons = new ArrayList<>();
        for (TlogEntryJson e : tlogEntries) {
            try {
                return verifyEntry(e, log);
            } catch (TrustException | RuntimeException x) {
                reasons.add(x.getMessage());
            }
        }
        throw new TrustException(source + ": no transparency-log entry verifies: " + String.join("; ", reasons));
    }

    private long verifyEntry(TlogEntryJson e, RekorLog log) throws TrustException {
        if (e.logId() == null || e.canonicalizedBody() == null || e.kindVersion() == null || e.logIndex() == null
                || e.integratedTime() == null) {
            throw new TrustException("tlog entry lacks logId, kindVersion, logIndex, integratedTime or canonicalizedBody");
        }
        String logIdHex = HexFormat.of().formatHex(bytes(e.logId().keyId(), source, "tlogEntries[].logId.keyId"));
        if (!logIdHex.equals(log.logIdHex())) {
            throw new TrustException("tlog entry is from log " + logIdHex + ", not the trusted log " + log.logIdHex());
        }
        byte[] body = bytes(e.canonicalizedBody(), source, "tlogEntries[].canonicalizedBody");
        checkBodyBinding(e.kindVersion().kind(), StrictJson.tree(body, "tlog entry body"));
        long logIndex = Long.parseLong(e.logIndex());
        boolean any = false;
        if (e.inclusionPromise() != null) {
            log.verifySet(e.canonicalizedBody(), Long.parseLong(e.integratedTime()), logIndex, logIdHex,
                    bytes(e.inclusionPromise().signedEntryTimestamp(), source, "signedEntryTimestamp"));
            any = true;
        }
        ProofJson p = e.inclusionProof();
        if (p != null) {
            if (p.hashes() == null || p.checkpoint() == null || p.rootHash() == null || p.treeSize() == null
                    || p.logIndex() == null) {
                throw new TrustException("inclusion proof lacks hashes, rootHash, treeSize, logIndex or checkpoint");
            }
            List<byte[]> hashes = new ArrayList<>();
            for (String h : p.hashes()) {
                hashes.add(bytes(h, source, "inclusionProof.hashes[]"));
            }
            log.verifyInclusion(body, Long.parseLong(p.logIndex()), Long.parseLong(p.treeSize()),
                    bytes(p.rootHash(), source, "inclusionProof.rootHash"), hashes, p.checkpoint().envelope());
            any = true;
        }
        if (!any) {
            throw new TrustException("tlog entry has neither a signed entry timestamp nor an inclusion proof");
        }
        return logIndex;
    }

    /** The logged body must be about this signature, not some other entry of the same log. */
    private void checkBodyBinding(String kind, JsonNode body) throws TrustException {
        String expectedHash;
        JsonNode loggedHash;
        if (content instanceof MessageSignature ms) {
            if (!"hashedrekord".equals(kind)) {
                throw new TrustException("tlog entry kind " + kind + " does not describe a message signature");
            }
            JsonNode spec = body.path("spec");
            byte[] loggedSig;
            try {
                loggedSig = Base64.getDecoder().decode(spec.path("signature").path("content").asText(""));
            } catch (IllegalArgumentException x) {
                throw new TrustException("tlog entry signature is not base64", x);
            }
            if (!java.security.MessageDigest.isEqual(loggedSig, ms.signature())) {
                throw new TrustException("tlog entry logs another signature");
            }
            expectedHash = HexFormat.of().formatHex(ms.sha256());
            loggedHash = spec.path("data").path("hash");
        } else {
            Dsse d = (Dsse) content;
            expectedHash = org.sandboxrunner.core.image.Digest.sha256(d.payload()).hex();
            loggedHash = switch (kind) {
                case "intoto" -> body.path("spec").path("content").path("payloadHash");
                case "dsse" -> body.path("spec").path("payloadHash");
                default -> throw new TrustException("tlog entry kind " + kind + " does not describe a DSSE envelope");
            };
        }
        if (!"sha256".equals(loggedHash.path("algorithm").asText()) || !expectedHash.equals(loggedHash.path("value").asText())) {
            throw new TrustException("tlog entry logs another artifact (hash " + loggedHash.path("value").asText() + ")");
        }
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
