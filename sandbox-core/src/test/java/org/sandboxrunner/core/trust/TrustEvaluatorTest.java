package org.sandboxrunner.core.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sandboxrunner.core.image.Digest;

/** The vectors' signatures through the policy evaluator, as an image's signatures would go. */
class TrustEvaluatorTest {

    /** Skips (with the reason) before any assertion when the vectors are not beside the checkout. */
    @BeforeEach
    void vectorsArePresent() {
        Vectors.dir();
    }


    private static final Path LAYOUT = Path.of("/srv/images/app");

    private static TrustPolicy policy(String requirement) throws TrustPolicyException {
        return TrustPolicy.parse(("{\"default\": [{\"type\": \"reject\"}], \"transports\": {\"oci\": {\"/srv/images\": ["
                + requirement + "]}}}").getBytes(StandardCharsets.UTF_8), "policy.json", Vectors.dir());
    }

    private static TrustEvaluator.Subject subject(String manifest, ImageSignature... signatures) {
        return new TrustEvaluator.Subject("oci:/srv/images/app:1", LAYOUT, Optional.of("1"),
                List.of(Digest.sha256(Vectors.read(manifest))), List.of(signatures));
    }

    private static ImageSignature cosign(String file) throws TrustException {
        return ImageSignature.parseContainersBlob(Vectors.read(file), file);
    }

    private static ImageSignature gpg(String file) {
        return new ImageSignature.Gpg(Vectors.read(file), file);
    }

    private static final TrustEvaluator NOW = new TrustEvaluator(Instant.now());

    @Test
    void cosignVectorSatisfiesSigstoreSignedWithExactRepository() throws Exception {
        TrustDecision d = NOW.evaluate(policy("{\"type\": \"sigstoreSigned\", \"keyPath\": \"cosign-simplesigning/cosign.pub\","
                        + " \"signedIdentity\": {\"type\": \"exactRepository\", \"dockerRepository\":"
                        + " \"192.168.64.2:5000/cosign-signed-single-sample\"}}"),
                subject("cosign-simplesigning/valid/manifest.json", cosign("cosign-simplesigning/valid/signature-1")));
        assertEquals("transports.oci[\"/srv/images\"]", d.scope());
        assertEquals("transports.oci[\"/srv/images\"][0]", d.requirement());
        assertEquals(SigstorePublicKey.parsePem(Vectors.read("cosign-simplesigning/cosign.pub"), "k").keyId(),
                d.keyId().orElseThrow());
        assertEquals(Optional.of("cosign-simplesigning/valid/signature-1"), d.acceptances().get(0).signature());
    }

    @Test
    void exactReferenceNeedsTheTaggedIdentity() throws Exception {
        String req = "{\"type\": \"sigstoreSigned\", \"keyPath\": \"cosign-simplesigning/cosign.pub\", \"signedIdentity\":"
                + " {\"type\": \"exactReference\", \"dockerReference\": \"192.168.64.2:5000/skopeo-signed:tag\"}}";
        TrustDecision d = NOW.evaluate(policy(req), subject("cosign-simplesigning/valid/manifest.json",
                cosign("cosign-simplesigning/valid-with-tag/signature-1")));
        assertEquals("transports.oci[\"/srv/images\"][0]", d.requirement());
        TrustException e = assertThrows(TrustException.class, () -> NOW.evaluate(policy(req),
                subject("cosign-simplesigning/valid/manifest.json", cosign("cosign-simplesigning/valid/signature-1"))));
        assertEquals("Running image oci:/srv/images/app:1 is rejected by policy: transports.oci[\"/srv/images\"][0]"
                + " (sigstoreSigned): cosign-simplesigning/valid/signature-1: signature for identity"
                + " 192.168.64.2:5000/cosign-signed-single-sample is not accepted by signedIdentity exactReference",
                e.getMessage());
    }

    @Test
    void theDefaultIdentityMatcherCannotApplyToALayout() throws Exception {
        TrustException e = assertThrows(TrustException.class, () -> NOW.evaluate(
                policy("{\"type\": \"sigstoreSigned\", \"keyPath\": \"cosign-simplesigning/cosign.pub\"}"),
                subject("cosign-simplesigning/valid/manifest.json", cosign("cosign-simplesigning/valid/signature-1"))));
        assertEquals("Running image oci:/srv/images/app:1 is rejected by policy: transports.oci[\"/srv/images\"][0]"
                + " (sigstoreSigned): cosign-simplesigning/valid/signature-1: signedIdentity matchRepoDigestOrExact"
                + " compares with the image's Docker reference, which oci:/srv/images/app:1 does not have; use"
                + " exactReference or exactRepository", e.getMessage());
    }

    @Test
    void gpgVectorSatisfiesSignedByAndOtherManifestsAreRefused() throws Exception {
        String req = "{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\":"
                + " \"containers-gpg-simplesigning/public-key.gpg\", \"signedIdentity\": {\"type\": \"exactRepository\","
                + " \"dockerRepository\": \"testing/manifest\"}}";
        TrustDecision d = NOW.evaluate(policy(req), subject("containers-gpg-simplesigning/image.manifest.json",
                gpg("containers-gpg-simplesigning/unknown-key.signature"),
                gpg("containers-gpg-simplesigning/image.signature")));
        assertEquals(Optional.of("08CD26E446E2E95249B7A405E932F44B23E8DD43"), d.keyId());
        TrustException e = assertThrows(TrustException.class, () -> NOW.evaluate(policy(req),
                subject("cosign-simplesigning/valid/manifest.json", gpg("containers-gpg-simplesigning/image.signature"))));
        assertEquals("Running image oci:/srv/images/app:1 is rejected by policy: transports.oci[\"/srv/images\"][0]"
                + " (signedBy): containers-gpg-simplesigning/image.signature: signature is for manifest sha256:"
                + Digest.sha256(Vectors.read("containers-gpg-simplesigning/image.manifest.json")).hex() + ", not "
                + Digest.sha256(Vectors.read("cosign-simplesigning/valid/manifest.json")), e.getMessage());
    }

    @Test
    void inlineKeyDataWorksLikeAKeyFile() throws Exception {
        String keyData = java.util.Base64.getEncoder().encodeToString(Vectors.read("containers-gpg-simplesigning/public-key.gpg"));
        TrustDecision d = NOW.evaluate(policy("{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyData\": \""
                        + keyData + "\", \"signedIdentity\": {\"type\": \"exactRepository\", \"dockerRepository\":"
                        + " \"docker.io/testing/manifest\"}}"),
                subject("containers-gpg-simplesigning/image.manifest.json", gpg("containers-gpg-simplesigning/image.signature")));
        assertEquals(Optional.of("08CD26E446E2E95249B7A405E932F44B23E8DD43"), d.keyId());
    }

    @Test
    void everyRequirementMustAcceptAndEachFormatGoesToItsRequirement() throws Exception {
        String both = "{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": \"containers-gpg-simplesigning/public-key.gpg\","
                + " \"signedIdentity\": {\"type\": \"exactRepository\", \"dockerRepository\": \"testing/manifest\"}},"
                + " {\"type\": \"sigstoreSigned\", \"keyPath\": \"cosign-simplesigning/cosign.pub\"}";
        TrustException e = assertThrows(TrustException.class, () -> NOW.evaluate(policy(both),
                subject("containers-gpg-simplesigning/image.manifest.json", gpg("containers-gpg-simplesigning/image.signature"))));
        assertEquals("Running image oci:/srv/images/app:1 is rejected by policy: transports.oci[\"/srv/images\"][1]"
                + " (sigstoreSigned): a sigstore signature was required, but the image has none", e.getMessage());
        TrustException none = assertThrows(TrustException.class, () -> NOW.evaluate(policy(both),
                subject("containers-gpg-simplesigning/image.manifest.json")));
        assertEquals("Running image oci:/srv/images/app:1 is rejected by policy: transports.oci[\"/srv/images\"][0]"
                + " (signedBy): a GPG signature was required, but the image has none", none.getMessage());
    }

    @Test
    void unsupportedKeyTypesAndSignedBaseLayerNeverAccept() throws Exception {
        TrustException x509 = assertThrows(TrustException.class, () -> NOW.evaluate(policy(
                "{\"type\": \"signedBy\", \"keyType\": \"X509Certificates\", \"keyPath\": \"x\"}"),
                subject("containers-gpg-simplesigning/image.manifest.json")));
        assertEquals("Running image oci:/srv/images/app:1 is rejected by policy: transports.oci[\"/srv/images\"][0]"
                + " (signedBy): keyType X509Certificates is not supported (only GPGKeys)", x509.getMessage());
        TrustException layer = assertThrows(TrustException.class, () -> NOW.evaluate(policy(
                "{\"type\": \"signedBaseLayer\", \"baseLayerIdentity\": {\"type\": \"exactRepository\","
                        + " \"dockerRepository\": \"r/r\"}}"), subject("containers-gpg-simplesigning/image.manifest.json")));
        assertEquals("Running image oci:/srv/images/app:1 is rejected by policy: transports.oci[\"/srv/images\"][0]"
                + " (signedBaseLayer) is not implemented and never accepts an image.", layer.getMessage());
    }

    private static final String REKOR = ", \"rekorPublicKeyPath\": \"signed-note/rekor-production.pub\"";

    @Test
    void aBundleLoggedInRekorSatisfiesARequirementNamingTheRekorKey() throws Exception {
        String dir = "sigstore-bundle/conformance-managed-key/";
        TrustPolicy p = policy("{\"type\": \"sigstoreSigned\", \"keyPath\": \"" + dir + "key.pub\"" + REKOR + "}");
        TrustDecision d = NOW.evaluate(p, subject(dir + "a.txt",
                new ImageSignature.Bundle(Vectors.read(dir + "bundle.sigstore.json"), "bundle")));
        assertEquals(Optional.of(Digest.sha256(Vectors.read(dir + "a.txt"))), d.acceptances().get(0).signedDigest());
    }

    @Test
    void aCosignSignatureWithoutARekorSetIsRefusedWhenTheRequirementNamesARekorKey() throws Exception {
        TrustException e = assertThrows(TrustException.class, () -> NOW.evaluate(policy("{\"type\": \"sigstoreSigned\","
                        + " \"keyPath\": \"cosign-simplesigning/cosign.pub\"" + REKOR + ", \"signedIdentity\": {\"type\":"
                        + " \"exactRepository\", \"dockerRepository\": \"192.168.64.2:5000/cosign-signed-single-sample\"}}"),
                subject("cosign-simplesigning/valid/manifest.json", cosign("cosign-simplesigning/valid/signature-1"))));
        assertTrue(e.getMessage().endsWith("cosign-simplesigning/valid/signature-1: no dev.sigstore.cosign/bundle"
                + " annotation, but the requirement names a Rekor key"), e.getMessage());
    }

    /** A SET made here with a stand-in log key: accepted when it logs this signature, refused otherwise. */
    @Test
    void aCosignRekorSetIsCheckedAgainstTheLogKeyAndTheSignature() throws Exception {
        java.security.KeyPairGenerator gen = java.security.KeyPairGenerator.getInstance("EC");
        gen.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair log = gen.generateKeyPair();
        java.nio.file.Path logPem = java.nio.file.Files.createTempFile("rekor", ".pub");
        try {
            java.nio.file.Files.writeString(logPem, "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder()
                    .encodeToString(log.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
            String logId = Digest.sha256(log.getPublic().getEncoded()).hex();
            ImageSignature.Cosign vector = (ImageSignature.Cosign) cosign("cosign-simplesigning/valid/signature-1");
            String sig = vector.annotations().get(ImageSignature.Cosign.SIGNATURE_ANNOTATION);
            String req = "{\"type\": \"sigstoreSigned\", \"keyPath\": \"cosign-simplesigning/cosign.pub\","
                    + " \"rekorPublicKeyPath\": \"" + logPem + "\", \"signedIdentity\": {\"type\": \"exactRepository\","
                    + " \"dockerRepository\": \"192.168.64.2:5000/cosign-signed-single-sample\"}}";
            for (String hash : List.of(Digest.sha256(vector.payload()).hex(), Digest.sha256(new byte[0]).hex())) {
                String body = java.util.Base64.getEncoder().encodeToString(("{\"apiVersion\":\"0.0.1\",\"kind\":"
                        + "\"hashedrekord\",\"spec\":{\"data\":{\"hash\":{\"algorithm\":\"sha256\",\"value\":\"" + hash
                        + "\"}},\"signature\":{\"content\":\"" + sig + "\"}}}").getBytes(StandardCharsets.UTF_8));
                java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSA");
                signer.initSign(log.getPrivate());
                signer.update(("{\"body\":\"" + body + "\",\"integratedTime\":1657296609,\"logID\":\"" + logId
                        + "\",\"logIndex\":42}").getBytes(StandardCharsets.UTF_8));
                String annotation = "{\"SignedEntryTimestamp\":\"" + java.util.Base64.getEncoder().encodeToString(
                        signer.sign()) + "\",\"Payload\":{\"body\":\"" + body + "\",\"integratedTime\":1657296609,"
                        + "\"logIndex\":42,\"logID\":\"" + logId + "\"}}";
                java.util.Map<String, String> annotations = new java.util.HashMap<>(vector.annotations());
                annotations.put(CosignRekorBundle.ANNOTATION, annotation);
                ImageSignature.Cosign logged = new ImageSignature.Cosign(vector.payload(), annotations, "logged");
                if (hash.equals(Digest.sha256(vector.payload()).hex())) {
                    assertEquals(Optional.of("logged"), NOW.evaluate(policy(req),
                            subject("cosign-simplesigning/valid/manifest.json", logged)).acceptances().get(0).signature());
                } else {
                    TrustException e = assertThrows(TrustException.class, () -> NOW.evaluate(policy(req),
                            subject("cosign-simplesigning/valid/manifest.json", logged)));
                    assertTrue(e.getMessage().endsWith("logged: the Rekor entry logs another payload"), e.getMessage());
                }
            }
        } finally {
            java.nio.file.Files.deleteIfExists(logPem);
        }
    }

    @Test
    void insecureAcceptAnythingAcceptsWithoutAKey() throws Exception {
        TrustDecision d = NOW.evaluate(policy("{\"type\": \"insecureAcceptAnything\"}"),
                subject("containers-gpg-simplesigning/image.manifest.json"));
        assertEquals(Optional.empty(), d.keyId());
        assertEquals("transports.oci[\"/srv/images\"][0]", d.requirement());
    }
}
