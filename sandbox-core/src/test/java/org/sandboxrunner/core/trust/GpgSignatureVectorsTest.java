package org.sandboxrunner.core.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sandboxrunner.core.image.Digest;

/** containers-gpg-simplesigning/: each signature gives what the vectors README names. */
class GpgSignatureVectorsTest {

    /** Skips (with the reason) before any assertion when the vectors are not beside the checkout. */
    @BeforeEach
    void vectorsArePresent() {
        Vectors.dir();
    }


    private static final String DIR = "containers-gpg-simplesigning/";
    private static final String PRIMARY_FPR = "08CD26E446E2E95249B7A405E932F44B23E8DD43";

    private static GpgKeyring keyring() throws TrustException {
        return GpgKeyring.parse(List.of(Vectors.read(DIR + "public-key.gpg")), "public-key.gpg");
    }

    private static VerifiedPayload verify(String file) throws TrustException {
        return GpgSignatureVerifier.verify(Vectors.read(DIR + file), keyring(), Instant.now());
    }

    @Test
    void imageSignatureVerifiesAndNamesTheManifest() throws TrustException {
        VerifiedPayload v = verify("image.signature");
        assertEquals(PRIMARY_FPR, v.keyId());
        SimpleSigningPayload p = SimpleSigningPayload.parse(v.payload(), SimpleSigningPayload.ATOMIC_TYPE);
        assertEquals(Digest.sha256(Vectors.read(DIR + "image.manifest.json")), p.manifestDigest());
        assertTrue(p.manifestDigest().hex().startsWith("20bf21ed"));
        assertEquals("docker.io/testing/manifest", p.identity().name());
    }

    @Test
    void signatureWithEmptyOptionalVerifies() throws TrustException {
        SimpleSigningPayload p = SimpleSigningPayload.parse(verify("no-optional-fields.signature").payload(),
                SimpleSigningPayload.ATOMIC_TYPE);
        assertEquals(Optional.empty(), p.creator());
        assertEquals(Optional.empty(), p.timestamp());
    }

    @Test
    void unknownKeyIsRefused() {
        TrustException e = assertThrows(TrustException.class, () -> verify("unknown-key.signature"));
        assertEquals("GPG signature was made by key 5F9470E3BC6C3B55, which is not one of the trusted keys",
                e.getMessage());
    }

    @Test
    void corruptSignatureIsRefused() {
        TrustException e = assertThrows(TrustException.class, () -> verify("corrupt.signature"));
        assertTrue(e.getMessage().equals("GPG signature by key E932F44B23E8DD43 does not verify")
                || e.getMessage().startsWith("GPG signature is malformed: "), e.getMessage());
    }

    @Test
    void bareLiteralDataIsRefused() {
        TrustException e = assertThrows(TrustException.class, () -> verify("unsigned-literal.signature"));
        assertEquals("GPG signature is not a signed message: expected one one-pass signature, found OpenPGP LiteralData",
                e.getMessage());
    }

    @Test
    void encryptedMessageIsRefused() {
        TrustException e = assertThrows(TrustException.class, () -> verify("unsigned-encrypted.signature"));
        assertEquals("GPG signature is not a signed message: expected one one-pass signature, found OpenPGP EncryptedDataList",
                e.getMessage());
    }

    @Test
    void validSignatureOverNonJsonIsRefusedAtTheJsonStage() throws TrustException {
        VerifiedPayload v = verify("invalid-blob.signature");
        TrustException e = assertThrows(TrustException.class,
                () -> SimpleSigningPayload.parse(v.payload(), SimpleSigningPayload.ATOMIC_TYPE));
        assertTrue(e.getMessage().startsWith("signature payload is not valid: Unrecognized token 'This'"), e.getMessage());
    }

    @Test
    void cosignTypeIsNotAcceptedForGpgSignatures() throws TrustException {
        VerifiedPayload v = verify("image.signature");
        TrustException e = assertThrows(TrustException.class,
                () -> SimpleSigningPayload.parse(v.payload(), SimpleSigningPayload.COSIGN_TYPE));
        assertEquals("signature payload: critical.type is \"atomic container signature\", expected"
                + " \"cosign container image signature\"", e.getMessage());
    }
}
