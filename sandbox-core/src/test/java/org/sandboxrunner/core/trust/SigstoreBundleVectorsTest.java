package org.sandboxrunner.core.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sandboxrunner.core.image.Digest;

/** sigstore-bundle/: public-key bundles, message signature and DSSE. */
class SigstoreBundleVectorsTest {

    /** Skips (with the reason) before any assertion when the vectors are not beside the checkout. */
    @BeforeEach
    void vectorsArePresent() {
        Vectors.dir();
    }


    private static final String MANAGED = "sigstore-bundle/conformance-managed-key/";
    private static final String VALIDITY = "sigstore-bundle/sigstore-go-public-key-validity/";
    private static final String DSSE = "sigstore-bundle/sigstore-go-dsse-publish/";

    private static byte[] sha256(byte[] data) {
        return HexFormat.of().parseHex(Digest.sha256(data).hex());
    }

    private static SigstorePublicKey key(String path) throws TrustException {
        return SigstorePublicKey.parsePem(Vectors.read(path), path);
    }

    @Test
    void conformanceMessageSignatureVerifiesOverTheArtifact() throws TrustException {
        SigstoreBundle bundle = SigstoreBundle.parse(Vectors.read(MANAGED + "bundle.sigstore.json"), "bundle");
        SigstorePublicKey key = key(MANAGED + "key.pub");
        VerifiedPayload v = bundle.verifyMessage(sha256(Vectors.read(MANAGED + "a.txt")), List.of(key));
        assertEquals(key.keyId(), v.keyId());
        // publicKey.hint = base64(sha256(SPKI DER)), the same digest as our key id.
        assertEquals(key.keyId(), "sha256:" + HexFormat.of().formatHex(Base64.getDecoder().decode(bundle.keyHint().get())));
    }

    @Test
    void corruptedKeyFailsToLoadOrToVerify() throws TrustException {
        SigstoreBundle bundle = SigstoreBundle.parse(Vectors.read(MANAGED + "bundle.sigstore.json"), "bundle");
        SigstorePublicKey wrong;
        try {
            wrong = key(MANAGED + "wrong-key.pub");
        } catch (TrustException e) {
            assertTrue(e.getMessage().startsWith(MANAGED + "wrong-key.pub is not an EC public key"), e.getMessage());
            return;
        }
        SigstorePublicKey loaded = wrong;
        assertThrows(TrustException.class,
                () -> bundle.verifyMessage(sha256(Vectors.read(MANAGED + "a.txt")), List.of(loaded)));
    }

    @Test
    void anotherArtifactIsRefused() throws TrustException {
        SigstoreBundle bundle = SigstoreBundle.parse(Vectors.read(MANAGED + "bundle.sigstore.json"), "bundle");
        TrustException e = assertThrows(TrustException.class, () -> bundle.verifyMessage(
                sha256("not a.txt".getBytes(StandardCharsets.UTF_8)), List.of(key(MANAGED + "key.pub"))));
        assertEquals("bundle: the bundle signs another artifact (messageDigest differs)", e.getMessage());
    }

    @Test
    void publicKeyValidityBundleVerifies() throws TrustException {
        SigstoreBundle bundle = SigstoreBundle.parse(Vectors.read(VALIDITY + "bundle.sigstore.json"), "bundle");
        byte[] artifact = Vectors.read(VALIDITY + "artifact.txt");
        assertEquals("test content", new String(artifact, StandardCharsets.UTF_8));
        VerifiedPayload v = bundle.verifyMessage(sha256(artifact), List.of(key(VALIDITY + "public-key-validity.pem")));
        assertTrue(v.keyId().startsWith("sha256:"));
    }

    @Test
    void aKeyFromAnotherBundleDoesNotVerify() throws TrustException {
        SigstoreBundle bundle = SigstoreBundle.parse(Vectors.read(VALIDITY + "bundle.sigstore.json"), "bundle");
        SigstorePublicKey other = key(MANAGED + "key.pub");
        TrustException e = assertThrows(TrustException.class,
                () -> bundle.verifyMessage(sha256(Vectors.read(VALIDITY + "artifact.txt")), List.of(other)));
        assertEquals("bundle: the bundle's message signature does not verify with the trusted key " + other.keyId(),
                e.getMessage());
    }

    @Test
    void dsseEnvelopeVerifiesOverThePreAuthenticationEncoding() throws TrustException {
        SigstoreBundle bundle = SigstoreBundle.parse(Vectors.read(DSSE + "bundle-publish.json"), "bundle");
        assertTrue(bundle.isDsse());
        VerifiedPayload v = bundle.verifyDsse(List.of(key(DSSE + "publish_key.pub")));
        assertFalse(InTotoStatement.subjectSha256(v.payload()).contains("x"));
        assertTrue(new String(v.payload(), StandardCharsets.UTF_8).contains("pkg:npm/sigstore@1.3.0"));
    }

    @Test
    void aChangedDssePayloadDoesNotVerify() throws TrustException {
        String json = new String(Vectors.read(DSSE + "bundle-publish.json"), StandardCharsets.UTF_8);
        String payload = json.replaceAll("(?s).*\"payload\":\"([^\"]+)\".*", "$1");
        String changed = Base64.getEncoder().encodeToString(new String(Base64.getDecoder().decode(payload),
                StandardCharsets.UTF_8).replace("1.3.0", "1.3.1").getBytes(StandardCharsets.UTF_8));
        SigstoreBundle bundle = SigstoreBundle.parse(json.replace(payload, changed).getBytes(StandardCharsets.UTF_8), "b");
        TrustException e = assertThrows(TrustException.class,
                () -> bundle.verifyDsse(List.of(key(DSSE + "publish_key.pub"))));
        assertTrue(e.getMessage().startsWith("b: no DSSE signature verifies with the trusted key sha256:"), e.getMessage());
    }

    @Test
    void paeIsTheDsseV1Encoding() {
        assertEquals("DSSEv1 29 http://example.com/HelloWorld 11 hello world", new String(
                SigstoreBundle.preAuthenticationEncoding("http://example.com/HelloWorld",
                        "hello world".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
    }

    @Test
    void certificateBundlesAreRefused() {
        byte[] json = ("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":"
                + "{\"certificate\":{\"rawBytes\":\"AA==\"}},\"messageSignature\":{\"messageDigest\":{\"algorithm\":"
                + "\"SHA2_256\",\"digest\":\"AA==\"},\"signature\":\"AA==\"}}").getBytes(StandardCharsets.UTF_8);
        TrustException e = assertThrows(TrustException.class, () -> SigstoreBundle.parse(json, "b"));
        assertEquals("b: the bundle is signed with a certificate (keyless); only public-key bundles are supported",
                e.getMessage());
    }
}
