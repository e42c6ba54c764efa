package org.sandboxrunner.core.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sandboxrunner.core.image.Digest;

/** cosign-simplesigning/: containers/image sigstore-json blobs made by cosign and by containers/image. */
class CosignSignatureVectorsTest {

    /** Skips (with the reason) before any assertion when the vectors are not beside the checkout. */
    @BeforeEach
    void vectorsArePresent() {
        Vectors.dir();
    }


    private static final String DIR = "cosign-simplesigning/";

    private static SigstorePublicKey key(String file) throws TrustException {
        return SigstorePublicKey.parsePem(Vectors.read(DIR + file), file);
    }

    private static ImageSignature.Cosign blob(String file) throws TrustException {
        return assertInstanceOf(ImageSignature.Cosign.class,
                ImageSignature.parseContainersBlob(Vectors.read(DIR + file), file));
    }

    @Test
    void validSignatureVerifiesAndNamesTheManifest() throws TrustException {
        SigstorePublicKey cosign = key("cosign.pub");
        VerifiedPayload v = CosignSignatureVerifier.verify(blob("valid/signature-1"), List.of(cosign));
        assertEquals(cosign.keyId(), v.keyId());
        assertEquals(new String(Vectors.read(DIR + "valid/payload.json")), new String(v.payload()));
        SimpleSigningPayload p = SimpleSigningPayload.parse(v.payload(), SimpleSigningPayload.COSIGN_TYPE);
        assertEquals(Digest.sha256(Vectors.read(DIR + "valid/manifest.json")), p.manifestDigest());
        assertEquals("sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00",
                p.manifestDigest().toString());
        assertEquals("192.168.64.2:5000/cosign-signed-single-sample", p.identity().toString());
        assertEquals(Optional.empty(), p.creator());
    }

    @Test
    void signatureWithTagAndOptionalFieldsVerifies() throws TrustException {
        VerifiedPayload v = CosignSignatureVerifier.verify(blob("valid-with-tag/signature-1"), List.of(key("cosign.pub")));
        SimpleSigningPayload p = SimpleSigningPayload.parse(v.payload(), SimpleSigningPayload.COSIGN_TYPE);
        assertEquals(Optional.of("tag"), p.identity().tag());
        assertEquals(Optional.of("containers/image 5.21.2-dev"), p.creator());
        assertEquals(Optional.of(1657296609L), p.timestamp());
    }

    @Test
    void anotherKeyDoesNotVerify() throws TrustException {
        SigstorePublicKey rekor = key("rekor.pub");
        TrustException e = assertThrows(TrustException.class,
                () -> CosignSignatureVerifier.verify(blob("valid/signature-1"), List.of(rekor)));
        assertEquals("valid/signature-1: cosign signature does not verify with the trusted key " + rekor.keyId(),
                e.getMessage());
    }

    @Test
    void aChangedPayloadByteDoesNotVerify() throws TrustException {
        ImageSignature.Cosign good = blob("valid/signature-1");
        byte[] payload = good.payload();
        payload[payload.length - 3] ^= 1;
        ImageSignature.Cosign bad = new ImageSignature.Cosign(payload, good.annotations(), "tampered");
        TrustException e = assertThrows(TrustException.class,
                () -> CosignSignatureVerifier.verify(bad, List.of(key("cosign.pub"))));
        assertEquals("tampered: cosign signature does not verify with the trusted key " + key("cosign.pub").keyId(),
                e.getMessage());
    }

    @Test
    void derivedFilesMatchTheBlob() throws TrustException {
        ImageSignature.Cosign sig = blob("valid/signature-1");
        assertEquals(new String(Vectors.read(DIR + "valid/signature.b64")).strip(),
                sig.annotations().get(ImageSignature.Cosign.SIGNATURE_ANNOTATION));
    }

    @Test
    void aBlobWithAnUnknownFieldIsRefused() {
        byte[] blob = "\0sigstore-json\n{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"payload\":\"e30=\",\"annotations\":{},\"extra\":1}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        TrustException e = assertThrows(TrustException.class, () -> ImageSignature.parseContainersBlob(blob, "sig"));
        assertEquals(true, e.getMessage().startsWith("sig (sigstore-json) is not valid: Unrecognized field \"extra\""),
                e.getMessage());
    }

    @Test
    void anUnknownBlobFormatIsRefused() {
        byte[] blob = "\0x509-thing\n{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        TrustException e = assertThrows(TrustException.class, () -> ImageSignature.parseContainersBlob(blob, "sig"));
        assertEquals("sig has unknown signature format \"x509-thing\"", e.getMessage());
    }
}
