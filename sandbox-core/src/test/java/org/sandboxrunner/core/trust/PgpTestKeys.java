package org.sandboxrunner.core.trust;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/**
 * OpenPGP keys and signed messages made with Bouncy Castle for the cases no fixture covers (expired
 * keys and signatures, subkeys with and without the signing flag). Ed25519 keeps generation fast.
 */
final class PgpTestKeys {

    /** A generated key: the public keyring bytes and the key pairs to sign with. */
    record Generated(byte[] publicRing, PGPKeyPair primary, PGPKeyPair subkey) {
    }

    private PgpTestKeys() {
    }

    static PGPKeyPair keyPair(Instant created) throws PGPException {
        Ed25519KeyPairGenerator gen = new Ed25519KeyPairGenerator();
        gen.init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        AsymmetricCipherKeyPair kp = gen.generateKeyPair();
        return new BcPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.EDDSA_LEGACY, kp, Date.from(created));
    }

    /**
     * A primary key (flags {@code primaryFlags}, valid {@code primaryValidSeconds}, 0 = forever) created at
     * {@code created}, and a subkey with {@code subkeyFlags}.
     */
    static Generated generate(Instant created, int primaryFlags, long primaryValidSeconds, int subkeyFlags)
            throws PGPException, IOException {
        PGPKeyPair primary = keyPair(created);
        PGPKeyPair sub = keyPair(created);
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setKeyFlags(false, primaryFlags);
        hashed.setSignatureCreationTime(false, Date.from(created));
        if (primaryValidSeconds > 0) {
            hashed.setKeyExpirationTime(false, primaryValidSeconds);
        }
        BcPGPContentSignerBuilder signer = new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.EDDSA_LEGACY,
                HashAlgorithmTags.SHA256);
        PGPKeyRingGenerator rings = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, primary,
                "Test Signer <signer@example.com>", new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1),
                hashed.generate(), null, signer, null);
        PGPSignatureSubpacketGenerator subHashed = new PGPSignatureSubpacketGenerator();
        subHashed.setKeyFlags(false, subkeyFlags);
        subHashed.setSignatureCreationTime(false, Date.from(created));
        if ((subkeyFlags & KeyFlags.SIGN_DATA) != 0) {
            rings.addSubKey(sub, subHashed.generate(), null, new BcPGPContentSignerBuilder(
                    PublicKeyAlgorithmTags.EDDSA_LEGACY, HashAlgorithmTags.SHA256));
        } else {
            rings.addSubKey(sub, subHashed.generate(), null);
        }
        return new Generated(rings.generatePublicKeyRing().getEncoded(), primary, sub);
    }

    /** A signed message (one-pass signature, literal data, signature) as gpg --sign writes it. */
    static byte[] sign(PGPKeyPair key, byte[] data, Instant at, long expiresAfterSeconds) throws PGPException, IOException {
        PGPPublicKey pub = key.getPublicKey();
        PGPPrivateKey priv = key.getPrivateKey();
        PGPSignatureGenerator gen = new PGPSignatureGenerator(
                new BcPGPContentSignerBuilder(pub.getAlgorithm(), HashAlgorithmTags.SHA256), pub);
        gen.init(PGPSignature.BINARY_DOCUMENT, priv);
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setSignatureCreationTime(false, Date.from(at));
        hashed.setIssuerFingerprint(false, pub);
        if (expiresAfterSeconds > 0) {
            hashed.setSignatureExpirationTime(false, expiresAfterSeconds);
        }
        gen.setHashedSubpackets(hashed.generate());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        gen.generateOnePassVersion(false).encode(out);
        PGPLiteralDataGenerator literal = new PGPLiteralDataGenerator();
        try (OutputStream lo = literal.open(out, PGPLiteralData.BINARY, "", data.length, Date.from(at))) {
            lo.write(data);
        }
        gen.update(data);
        gen.generate().encode(out);
        return out.toByteArray();
    }
}
