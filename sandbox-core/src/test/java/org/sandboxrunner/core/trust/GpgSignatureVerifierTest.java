package org.sandboxrunner.core.trust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.junit.jupiter.api.Test;

/** The OpenPGP validity rules, on keys and signatures made for each case with Bouncy Castle. */
class GpgSignatureVerifierTest {

    private static final Instant NOW = Instant.parse("2026-01-15T12:00:00Z");
    private static final Instant MONTH_AGO = NOW.minus(Duration.ofDays(30));
    private static final byte[] DATA = "{\"critical\":{}}".getBytes(StandardCharsets.UTF_8);

    private static String fingerprint(org.bouncycastle.openpgp.PGPKeyPair k) {
        return HexFormat.of().withUpperCase().formatHex(k.getPublicKey().getFingerprint());
    }

    private static GpgKeyring ring(PgpTestKeys.Generated g) throws TrustException {
        return GpgKeyring.parse(List.of(g.publicRing()), "test ring");
    }

    @Test
    void primaryKeyWithSigningFlagVerifies() throws Exception {
        PgpTestKeys.Generated g = PgpTestKeys.generate(MONTH_AGO, KeyFlags.SIGN_DATA | KeyFlags.CERTIFY_OTHER, 0,
                KeyFlags.ENCRYPT_COMMS);
        VerifiedPayload v = GpgSignatureVerifier.verify(PgpTestKeys.sign(g.primary(), DATA, MONTH_AGO, 0), ring(g), NOW);
        assertArrayEquals(DATA, v.payload());
        assertEquals(fingerprint(g.primary()), v.keyId());
    }

    @Test
    void signingSubkeyVerifiesAndIsReportedByItsFingerprint() throws Exception {
        PgpTestKeys.Generated g = PgpTestKeys.generate(MONTH_AGO, KeyFlags.CERTIFY_OTHER, 0, KeyFlags.SIGN_DATA);
        VerifiedPayload v = GpgSignatureVerifier.verify(PgpTestKeys.sign(g.subkey(), DATA, MONTH_AGO, 0), ring(g), NOW);
        assertEquals(fingerprint(g.subkey()), v.keyId());
    }

    @Test
    void subkeyWithoutSigningFlagIsRefused() throws Exception {
        PgpTestKeys.Generated g = PgpTestKeys.generate(MONTH_AGO, KeyFlags.CERTIFY_OTHER, 0, KeyFlags.ENCRYPT_COMMS);
        TrustException e = assertThrows(TrustException.class, () -> GpgSignatureVerifier.verify(
                PgpTestKeys.sign(g.subkey(), DATA, MONTH_AGO, 0), ring(g), NOW));
        assertEquals("GPG key " + fingerprint(g.subkey()) + " is not allowed to sign data (key flags)", e.getMessage());
    }

    @Test
    void primaryKeyWithoutSigningFlagIsRefused() throws Exception {
        PgpTestKeys.Generated g = PgpTestKeys.generate(MONTH_AGO, KeyFlags.CERTIFY_OTHER, 0, KeyFlags.SIGN_DATA);
        TrustException e = assertThrows(TrustException.class, () -> GpgSignatureVerifier.verify(
                PgpTestKeys.sign(g.primary(), DATA, MONTH_AGO, 0), ring(g), NOW));
        assertEquals("GPG key " + fingerprint(g.primary()) + " is not allowed to sign data (key flags)", e.getMessage());
    }

    @Test
    void expiredKeyIsRefused() throws Exception {
        PgpTestKeys.Generated g = PgpTestKeys.generate(MONTH_AGO, KeyFlags.SIGN_DATA, Duration.ofDays(10).toSeconds(),
                KeyFlags.ENCRYPT_COMMS);
        TrustException e = assertThrows(TrustException.class, () -> GpgSignatureVerifier.verify(
                PgpTestKeys.sign(g.primary(), DATA, MONTH_AGO.plusSeconds(60), 0), ring(g), NOW));
        assertEquals("GPG primary key of " + fingerprint(g.primary()) + " expired at "
                + MONTH_AGO.plus(Duration.ofDays(10)), e.getMessage());
    }

    @Test
    void expiredSignatureIsRefused() throws Exception {
        PgpTestKeys.Generated g = PgpTestKeys.generate(MONTH_AGO, KeyFlags.SIGN_DATA, 0, KeyFlags.ENCRYPT_COMMS);
        String keyId = GpgSignatureVerifier.keyIdText(g.primary().getKeyID());
        TrustException e = assertThrows(TrustException.class, () -> GpgSignatureVerifier.verify(
                PgpTestKeys.sign(g.primary(), DATA, MONTH_AGO, 3600), ring(g), NOW));
        assertEquals("GPG signature by key " + keyId + " expired at " + MONTH_AGO.plusSeconds(3600), e.getMessage());
    }

    @Test
    void signatureFromTheFutureIsRefused() throws Exception {
        PgpTestKeys.Generated g = PgpTestKeys.generate(MONTH_AGO, KeyFlags.SIGN_DATA, 0, KeyFlags.ENCRYPT_COMMS);
        Instant later = NOW.plus(Duration.ofDays(1));
        TrustException e = assertThrows(TrustException.class, () -> GpgSignatureVerifier.verify(
                PgpTestKeys.sign(g.primary(), DATA, later, 0), ring(g), NOW));
        assertEquals("GPG signature by key " + GpgSignatureVerifier.keyIdText(g.primary().getKeyID())
                + " was made in the future (" + later + ")", e.getMessage());
    }

    /** Any single flipped bit in a signed message makes it refused (or, if in unsigned framing, unchanged payload). */
    @Property(tries = 60)
    void aFlippedBitNeverYieldsAnotherPayload(@ForAll int position, @ForAll byte mask) throws Exception {
        PgpTestKeys.Generated g = SHARED;
        byte[] message = SIGNED.clone();
        int i = Math.floorMod(position, message.length);
        message[i] ^= (mask == 0 ? 1 : mask);
        try {
            VerifiedPayload v = GpgSignatureVerifier.verify(message, ring(g), NOW);
            assertArrayEquals(DATA, v.payload());
        } catch (TrustException expected) {
            // refused: what a changed signature must give
        }
    }

    private static final PgpTestKeys.Generated SHARED;
    private static final byte[] SIGNED;

    static {
        try {
            SHARED = PgpTestKeys.generate(MONTH_AGO, KeyFlags.SIGN_DATA, 0, KeyFlags.ENCRYPT_COMMS);
            SIGNED = PgpTestKeys.sign(SHARED.primary(), DATA, MONTH_AGO, 0);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
