package org.sandboxrunner.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.core.trust.TrustPolicy;

/**
 * cosign key-based signatures as cosign stores them next to an image (a {@code sha256-HEX.sig} manifest
 * whose layers are simple-signing payloads), and Sigstore bundles attached as OCI 1.1 referrers, found in
 * a layout and verified through a {@code sigstoreSigned} policy with a P-256 key made here.
 */
class SigstoreLayoutTest {

    @TempDir
    Path base;
    private TestLayout layout;
    private Descriptor image;
    private KeyPair key;
    private Path policy;
    private Path cosignPolicy;

    @BeforeEach
    void setUp() throws Exception {
        layout = new TestLayout(base.resolve("layout"));
        image = layout.image(List.of(TestLayout.Layer.gzip(TestTar.build(t -> t.file("hello", "hi", 0644)))), "");
        layout.tag(image, "v1");
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        key = gen.generateKeyPair();
        Path pub = base.resolve("cosign.pub");
        Files.writeString(pub, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        policy = base.resolve("policy.json");
        Files.writeString(policy, "{\"default\": [{\"type\": \"reject\"}], \"transports\": {\"oci\": {\""
                + layout.dir.toRealPath() + "\": [{\"type\": \"sigstoreSigned\", \"keyPath\": \"cosign.pub\"}]}}}");
        // Simple-signing payloads claim an identity, which a layout can only check against an explicit one.
        cosignPolicy = base.resolve("cosign-policy.json");
        Files.writeString(cosignPolicy, "{\"default\": [{\"type\": \"reject\"}], \"transports\": {\"oci\": {\""
                + layout.dir.toRealPath() + "\": [{\"type\": \"sigstoreSigned\", \"keyPath\": \"cosign.pub\","
                + " \"signedIdentity\": {\"type\": \"exactRepository\", \"dockerRepository\": \"example.com/app\"}}]}}}");
    }

    private byte[] sign(byte[] data) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key.getPrivate());
        s.update(data);
        return s.sign();
    }

    private byte[] blob(Descriptor d) throws Exception {
        return Files.readAllBytes(layout.dir.resolve("blobs/sha256").resolve(d.digest().hex()));
    }

    private TrustedImage verify(String ref) throws Exception {
        return verify(policy, ref);
    }

    private static TrustedImage verify(Path policyFile, String ref) throws Exception {
        return new ImageVerifier(TrustPolicy.load(policyFile), Clock.systemUTC()).verify(ImageReference.parse(ref));
    }

    private void attachCosignSignature(Digest signed, String identity) throws Exception {
        byte[] payload = ("{\"critical\":{\"identity\":{\"docker-reference\":\"" + identity + "\"},\"image\":"
                + "{\"docker-manifest-digest\":\"" + signed + "\"},\"type\":\"cosign container image signature\"},"
                + "\"optional\":null}").getBytes(StandardCharsets.UTF_8);
        Descriptor p = layout.blob(MediaTypes.COSIGN_SIMPLE_SIGNING, payload);
        Descriptor config = layout.blob(MediaTypes.OCI_CONFIG, "{}".getBytes(StandardCharsets.UTF_8));
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + TestLayout.descriptorJson(config, Map.of()) + ",\"layers\":[" + TestLayout.descriptorJson(p,
                Map.of("dev.cosignproject.cosign/signature", Base64.getEncoder().encodeToString(sign(payload)))) + "]}";
        Descriptor m = layout.blob(MediaTypes.OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
        layout.tag(m, "sha256-" + image.digest().hex() + ".sig");
    }

    private void attachBundle(String bundleJson) throws Exception {
        Descriptor b = layout.blob(MediaTypes.SIGSTORE_BUNDLE_V03, bundleJson.getBytes(StandardCharsets.UTF_8));
        Descriptor empty = layout.blob("application/vnd.oci.empty.v1+json", "{}".getBytes(StandardCharsets.UTF_8));
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"artifactType\":\""
                + MediaTypes.SIGSTORE_BUNDLE_V03 + "\",\"config\":" + TestLayout.descriptorJson(empty, Map.of())
                + ",\"layers\":[" + TestLayout.descriptorJson(b, Map.of()) + "],\"subject\":"
                + TestLayout.descriptorJson(image, Map.of()) + "}";
        Descriptor m = layout.blob(MediaTypes.OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
        String entry = TestLayout.descriptorJson(m, Map.of());
        String withType = entry.substring(0, entry.length() - 1) + ",\"artifactType\":\"" + MediaTypes.SIGSTORE_BUNDLE_V03 + "\"}";
        String index = Files.readString(layout.dir.resolve("index.json"));
        Files.writeString(layout.dir.resolve("index.json"), index.replace("]}", "," + withType + "]}"));
    }

    @Test
    void cosignAttachmentVerifiesAndTheUntaggedReferenceSkipsIt() throws Exception {
        attachCosignSignature(image.digest(), "example.com/app");
        TrustedImage t = verify(cosignPolicy, "oci:" + layout.dir);
        assertEquals(image.digest(), t.manifestDigest());
        assertEquals("index.json \"sha256-" + image.digest().hex() + ".sig\" layer 0", t.trust().acceptances().get(0)
                .signature().orElseThrow());
        assertTrue(t.trust().keyId().orElseThrow().startsWith("sha256:"));
    }

    @Test
    void cosignAttachmentForAnotherDigestIsRefused() throws Exception {
        Digest other = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));
        attachCosignSignature(other, "example.com/app");
        ImageException e = assertThrows(ImageException.class, () -> verify(cosignPolicy, "oci:" + layout.dir + ":v1"));
        assertTrue(e.getMessage().endsWith("layer 0: signature is for manifest " + other + ", not " + image.digest()),
                e.getMessage());
    }

    @Test
    void messageSignatureBundleOverTheManifestVerifies() throws Exception {
        byte[] manifest = blob(image);
        attachBundle("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":"
                + "{\"publicKey\":{\"hint\":\"x\"}},\"messageSignature\":{\"messageDigest\":{\"algorithm\":\"SHA2_256\","
                + "\"digest\":\"" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(image.digest().hex()))
                + "\"},\"signature\":\"" + Base64.getEncoder().encodeToString(sign(manifest)) + "\"}}");
        TrustedImage t = verify("oci:" + layout.dir + ":v1");
        assertTrue(t.trust().acceptances().get(0).signature().orElseThrow().startsWith("index.json referrer sha256:"));
        assertEquals(image.digest(), t.trust().acceptances().get(0).signedDigest().orElseThrow());
    }

    @Test
    void dsseBundleWithTheImageAsSubjectVerifies() throws Exception {
        byte[] statement = ("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"app\",\"digest\":"
                + "{\"sha256\":\"" + image.digest().hex() + "\"}}],\"predicateType\":\"https://sigstore.dev/cosign/sign/v1\","
                + "\"predicate\":{}}").getBytes(StandardCharsets.UTF_8);
        String type = "application/vnd.in-toto+json";
        byte[] pae = ("DSSEv1 " + type.length() + " " + type + " " + statement.length + " " + new String(statement,
                StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        attachBundle("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":"
                + "{\"publicKey\":{}},\"dsseEnvelope\":{\"payload\":\"" + Base64.getEncoder().encodeToString(statement)
                + "\",\"payloadType\":\"" + type + "\",\"signatures\":[{\"sig\":\"" + Base64.getEncoder()
                .encodeToString(sign(pae)) + "\"}]}}");
        TrustedImage t = verify("oci:" + layout.dir + ":v1");
        assertEquals(image.digest(), t.trust().acceptances().get(0).signedDigest().orElseThrow());
    }

    @Test
    void aBundleSignedByAnotherKeyIsRefused() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        key = gen.generateKeyPair();
        attachBundle("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":"
                + "{\"publicKey\":{}},\"messageSignature\":{\"messageDigest\":{\"algorithm\":\"SHA2_256\","
                + "\"digest\":\"" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(image.digest().hex()))
                + "\"},\"signature\":\"" + Base64.getEncoder().encodeToString(sign(blob(image))) + "\"}}");
        ImageException e = assertThrows(ImageException.class, () -> verify("oci:" + layout.dir + ":v1"));
        assertTrue(e.getMessage().contains("the bundle's message signature does not verify with the trusted key sha256:"),
                e.getMessage());
    }
}
