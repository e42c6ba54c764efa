package org.sandboxrunner.core.trust;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPOnePassSignature;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Verifies a GPG "atomic container signature" (what {@code skopeo copy --sign-by} writes): an OpenPGP
 * signed message (RFC 4880 11.3: optionally compressed, one-pass signature, literal data, signature) and
 * nothing else. The signing key must be one of the trusted keys, or a subkey of one whose binding
 * signature grants signing (key flag 0x02) and carries the subkey's back-signature (RFC 4880 5.2.1);
 * keys and signature must be valid at {@code now}. The literal data is returned, unparsed, only after all
 * of that held.
 */
public final class GpgSignatureVerifier {

    /** A signed payload is a small JSON document; anything bigger is refused before it is buffered. */
    static final int MAX_PAYLOAD = 1 << 20;
    /** Clock skew tolerated for a signature made "in the future". */
    static final Duration SKEW = Duration.ofMinutes(5);

    private static final Set<Integer> STRONG_HASHES = Set.of(HashAlgorithmTags.SHA224, HashAlgorithmTags.SHA256,
            HashAlgorithmTags.SHA384, HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA3_256,
            HashAlgorithmTags.SHA3_512);
    private static final BcPGPContentVerifierBuilderProvider VERIFIERS = new BcPGPContentVerifierBuilderProvider();

    private GpgSignatureVerifier() {
    }

    public static VerifiedPayload verify(byte[] signedMessage, GpgKeyring keyring, Instant now)
            throws TrustException {
        try {
            return verifyMessage(signedMessage, keyring, now);
        } catch (IOException | PGPException | RuntimeException e) {
            throw new TrustException("GPG signature is malformed: " + e.getMessage(), e);
        }
    }

    private static VerifiedPayload verifyMessage(byte[] signedMessage, GpgKeyring keyring, Instant now)
            throws IOException, PGPException, TrustException {
        BcPGPObjectFactory factory = new BcPGPObjectFactory(new ByteArrayInputStream(signedMessage));
        Object object = factory.nextObject();
        if (object instanceof PGPCompressedData compressed) {
            factory = new BcPGPObjectFactory(compressed.getDataStream());
            object = factory.nextObject();
        }
        if (!(object instanceof PGPOnePassSignatureList onePassList) || onePassList.size() != 1) {
            throw new TrustException("GPG signature is not a signed message: expected one one-pass signature, found "
                    + describe(object));
        }
        PGPOnePassSignature onePass = onePassList.get(0);
        object = factory.nextObject();
        if (!(object instanceof PGPLiteralData literal)) {
            throw new TrustException("GPG signature is not a signed message: expected literal data, found "
                    + describe(object));
        }
        byte[] payload;
        try (InputStream in = literal.getInputStream()) {
            payload = in.readNBytes(MAX_PAYLOAD + 1);
        }
        if (payload.length > MAX_PAYLOAD) {
            throw new TrustException("GPG signature payload is larger than " + MAX_PAYLOAD + " bytes");
        }
        object = factory.nextObject();
        if (!(object instanceof PGPSignatureList signatures) || signatures.size() != 1) {
            throw new TrustException("GPG signature is not a signed message: expected one signature packet, found "
                    + describe(object));
        }
        if (factory.nextObject() != null) {
            throw new TrustException("GPG signature has data after the signature packet");
        }
        PGPSignature signature = signatures.get(0);
        if (signature.getKeyID() != onePass.getKeyID()) {
            throw new TrustException("GPG signature's one-pass and signature packets name different keys");
        }
        String keyId = keyIdText(signature.getKeyID());
        PGPPublicKeyRing ring = findRing(keyring, signature.getKeyID()).orElseThrow(() -> new TrustException(
                "GPG signature was made by key " + keyId + ", which is not one of the trusted keys"));
        PGPPublicKey key = ring.getPublicKey(signature.getKeyID());
        int type = signature.getSignatureType();
        if (type != PGPSignature.BINARY_DOCUMENT && type != PGPSignature.CANONICAL_TEXT_DOCUMENT) {
            throw new TrustException("GPG signature by key " + keyId + " has type " + type
                    + ", not a document signature");
        }
        if (!STRONG_HASHES.contains(signature.getHashAlgorithm())) {
            throw new TrustException("GPG signature by key " + keyId + " uses hash algorithm "
                    + signature.getHashAlgorithm() + "; only SHA-2 and SHA-3 are accepted");
        }
        onePass.init(VERIFIERS, key);
        onePass.update(payload);
        if (!onePass.verify(signature)) {
            throw new TrustException("GPG signature by key " + keyId + " does not verify");
        }
        checkSignatureTime(signature, keyId, now);
        String fingerprint = HexFormat.of().withUpperCase().formatHex(key.getFingerprint());
        checkSigningKey(ring, key, fingerprint, now);
        return new VerifiedPayload(payload, fingerprint);
    }

    private static void checkSignatureTime(PGPSignature signature, String keyId, Instant now) throws TrustException {
        Instant created = signature.getCreationTime().toInstant();
        if (created.isAfter(now.plus(SKEW))) {
            throw new TrustException("GPG signature by key " + keyId + " was made in the future (" + created + ")");
        }
        PGPSignatureSubpacketVector hashed = signature.getHashedSubPackets();
        long expires = hashed == null ? 0 : hashed.getSignatureExpirationTime();
        if (expires > 0 && !created.plusSeconds(expires).isAfter(now)) {
            throw new TrustException("GPG signature by key " + keyId + " expired at " + created.plusSeconds(expires));
        }
    }

    /** The signing key must be usable for signing now: see the class comment. */
    private static void checkSigningKey(PGPPublicKeyRing ring, PGPPublicKey key, String fingerprint, Instant now)
            throws PGPException, TrustException {
        PGPPublicKey primary = ring.getPublicKey();
        PGPSignature primarySelf = newestValidSelfSignature(primary).orElseThrow(() -> new TrustException(
                "GPG key " + fingerprint + ": the primary key has no valid self-signature"));
        checkNotRevoked(primary, primary, PGPSignature.KEY_REVOCATION, "primary key of " + fingerprint);
        checkNotExpired(primary, primarySelf, "primary key of " + fingerprint, now);
        if (key.getKeyID() == primary.getKeyID()) {
            requireSigningFlag(primarySelf, fingerprint, false);
            return;
        }
        PGPSignature binding = newestValidBinding(primary, key).orElseThrow(() -> new TrustException(
                "GPG key " + fingerprint + ": the subkey has no valid binding signature"));
        requireSigningFlag(binding, fingerprint, true);
        if (!hasValidBackSignature(binding, primary, key)) {
            throw new TrustException("GPG key " + fingerprint
                    + ": the signing subkey has no valid primary-key binding (back) signature");
        }
        checkNotRevoked(key, primary, PGPSignature.SUBKEY_REVOCATION, "subkey " + fingerprint);
        checkNotExpired(key, binding, "subkey " + fingerprint, now);
    }

    private static Optional<PGPSignature> newestValidSelfSignature(PGPPublicKey primary) throws PGPException {
        PGPSignature newest = null;
        for (Iterator<PGPSignature> it = primary.getSignatures(); it.hasNext(); ) {
            PGPSignature sig = it.next();
            if (sig.getKeyID() != primary.getKeyID() || !isSelfCertification(sig)) {
                continue;
            }
            if (verifiesAsSelfSignature(sig, primary) && (newest == null
                    || sig.getCreationTime().after(newest.getCreationTime()))) {
                newest = sig;
            }
        }
        return Optional.ofNullable(newest);
    }

    private static boolean isSelfCertification(PGPSignature sig) {
        int t = sig.getSignatureType();
        return t == PGPSignature.DEFAULT_CERTIFICATION || t == PGPSignature.NO_CERTIFICATION
                || t == PGPSignature.CASUAL_CERTIFICATION || t == PGPSignature.POSITIVE_CERTIFICATION
                || t == PGPSignature.DIRECT_KEY;
    }

    private static boolean verifiesAsSelfSignature(PGPSignature sig, PGPPublicKey primary) throws PGPException {
        if (sig.getSignatureType() == PGPSignature.DIRECT_KEY) {
            sig.init(VERIFIERS, primary);
            return sig.verifyCertification(primary);
        }
        for (Iterator<byte[]> ids = primary.getRawUserIDs(); ids.hasNext(); ) {
            byte[] id = ids.next();
            for (Iterator<PGPSignature> sigs = primary.getSignaturesForID(id); sigs != null && sigs.hasNext(); ) {
                if (sigs.next() == sig) {
                    sig.init(VERIFIERS, primary);
                    return sig.verifyCertification(id, primary);
                }
            }
        }
        return false;
    }

    private static Optional<PGPSignature> newestValidBinding(PGPPublicKey primary, PGPPublicKey subkey)
            throws PGPException {
        PGPSignature newest = null;
        for (Iterator<PGPSignature> it = subkey.getSignaturesOfType(PGPSignature.SUBKEY_BINDING); it.hasNext(); ) {
            PGPSignature sig = it.next();
            if (sig.getKeyID() != primary.getKeyID()) {
                continue;
            }
            sig.init(VERIFIERS, primary);
            if (sig.verifyCertification(primary, subkey)
                    && (newest == null || sig.getCreationTime().after(newest.getCreationTime()))) {
                newest = sig;
            }
        }
        return Optional.ofNullable(newest);
    }

    private static boolean hasValidBackSignature(PGPSignature binding, PGPPublicKey primary, PGPPublicKey subkey)
            throws PGPException {
        for (PGPSignatureSubpacketVector area : new PGPSignatureSubpacketVector[] {
                binding.getHashedSubPackets(), binding.getUnhashedSubPackets()}) {
            if (area == null) {
                continue;
            }
            PGPSignatureList embedded = area.getEmbeddedSignatures();
            for (int i = 0; embedded != null && i < embedded.size(); i++) {
                PGPSignature back = embedded.get(i);
                if (back.getSignatureType() != PGPSignature.PRIMARYKEY_BINDING) {
                    continue;
                }
                back.init(VERIFIERS, subkey);
                if (back.verifyCertification(primary, subkey)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void requireSigningFlag(PGPSignature selfOrBinding, String fingerprint, boolean subkey)
            throws TrustException {
        PGPSignatureSubpacketVector hashed = selfOrBinding.getHashedSubPackets();
        boolean hasFlags = hashed != null && hashed.hasSubpacket(org.bouncycastle.bcpg.SignatureSubpacketTags.KEY_FLAGS);
        // RFC 4880 5.2.3.21: without a key-flags subpacket a primary key may be used for any of its
        // algorithm's purposes; a subkey must say it signs.
        if (hasFlags ? (hashed.getKeyFlags() & KeyFlags.SIGN_DATA) == 0 : subkey) {
            throw new TrustException("GPG key " + fingerprint + " is not allowed to sign data (key flags)");
        }
    }

    private static void checkNotRevoked(PGPPublicKey key, PGPPublicKey issuer, int revocationType, String what)
            throws PGPException, TrustException {
        for (Iterator<PGPSignature> it = key.getSignaturesOfType(revocationType); it.hasNext(); ) {
            PGPSignature sig = it.next();
            if (sig.getKeyID() != issuer.getKeyID()) {
                continue;
            }
            sig.init(VERIFIERS, issuer);
            boolean valid = revocationType == PGPSignature.KEY_REVOCATION ? sig.verifyCertification(key)
                    : sig.verifyCertification(issuer, key);
            if (valid) {
                throw new TrustException("GPG " + what + " is revoked");
            }
        }
    }

    private static void checkNotExpired(PGPPublicKey key, PGPSignature selfOrBinding, String what, Instant now)
            throws TrustException {
        PGPSignatureSubpacketVector hashed = selfOrBinding.getHashedSubPackets();
        long validSeconds = hashed == null ? 0 : hashed.getKeyExpirationTime();
        Instant created = key.getCreationTime().toInstant();
        if (validSeconds > 0 && !created.plusSeconds(validSeconds).isAfter(now)) {
            throw new TrustException("GPG " + what + " expired at " + created.plusSeconds(validSeconds));
        }
    }

    private static Optional<PGPPublicKeyRing> findRing(GpgKeyring keyring, long keyId) {
        for (PGPPublicKeyRing ring : keyring.rings()) {
            if (ring.getPublicKey(keyId) != null) {
                return Optional.of(ring);
            }
        }
        return Optional.empty();
    }

    private static String describe(Object object) {
        return object == null ? "end of data" : object.getClass().getSimpleName().replace("PGP", "OpenPGP ");
    }

    static String keyIdText(long keyId) {
        return String.format(Locale.ROOT, "%016X", keyId);
    }
}
