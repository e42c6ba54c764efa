package org.sandboxrunner.audit.note;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 note signer, read from and written as the signer key string of
 * golang.org/x/mod/sumdb/note: {@code PRIVATE+KEY+name+hex(keyid)+base64(0x01 || 32-byte seed)}.
 * {@link #toString()} names the key and never shows the seed.
 */
public final class Ed25519NoteSigner implements NoteSigner {

    private static final String PREFIX = "PRIVATE+KEY+";
    private static final int SEED_SIZE = 32;

    private final Ed25519PrivateKeyParameters privateKey;
    private final Ed25519NoteVerifier verifier;

    private Ed25519NoteSigner(String name, byte[] seed) throws NoteFormatException {
        this.privateKey = new Ed25519PrivateKeyParameters(seed, 0);
        this.verifier = Ed25519NoteVerifier.of(name, privateKey.generatePublicKey().getEncoded());
    }

    /** A new key pair from {@code random}. */
    public static Ed25519NoteSigner generate(String name, SecureRandom random) throws NoteFormatException {
        byte[] seed = new byte[SEED_SIZE];
        random.nextBytes(seed);
        try {
            return new Ed25519NoteSigner(name, seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /**
     * Parses a signer key string; the key ID in it must match the public key derived from the seed.
     * Messages never quote the key string.
     */
    public static Ed25519NoteSigner parse(String skey) throws NoteFormatException {
        if (!skey.startsWith(PREFIX)) {
            throw new NoteFormatException("signer key does not start with " + PREFIX);
        }
        String[] parts = skey.substring(PREFIX.length()).split("\\+", 3);
        if (parts.length != 3) {
            throw new NoteFormatException("signer key is not PRIVATE+KEY+NAME+KEYID+BASE64");
        }
        String name = parts[0];
        NoteKeyIds.requireValidName(name);
        if (!parts[1].matches("[0-9a-f]{8}")) {
            throw new NoteFormatException("signer key for " + name + ": key ID is not 8 lowercase hex digits");
        }
        byte[] typed = NoteKeyIds.decodeBase64("signer key for " + name, parts[2]);
        try {
            if (typed.length != SEED_SIZE + 1 || typed[0] != NoteKeyIds.ED25519) {
                throw new NoteFormatException("signer key for " + name + " is not an Ed25519 seed (type 0x01, 32 bytes)");
            }
            Ed25519NoteSigner signer = new Ed25519NoteSigner(name, Arrays.copyOfRange(typed, 1, typed.length));
            if (!NoteKeyIds.hex(signer.keyId()).equals(parts[1])) {
                throw new NoteFormatException("signer key for " + name + " says key ID " + parts[1]
                        + " but its public key gives " + NoteKeyIds.hex(signer.keyId()));
            }
            return signer;
        } finally {
            Arrays.fill(typed, (byte) 0);
        }
    }

    @Override
    public String name() {
        return verifier.name();
    }

    @Override
    public int keyId() {
        return verifier.keyId();
    }

    @Override
    public byte[] sign(byte[] text) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(text, 0, text.length);
        return signer.generateSignature();
    }

    @Override
    public Ed25519NoteVerifier verifier() {
        return verifier;
    }

    /** The secret signer key string: for the key file only, never for logs or messages. */
    public String encodedSecret() {
        byte[] typed = new byte[SEED_SIZE + 1];
        typed[0] = NoteKeyIds.ED25519;
        privateKey.encode(typed, 1);
        try {
            return PREFIX + name() + "+" + NoteKeyIds.hex(keyId()) + "+" + Base64.getEncoder().encodeToString(typed);
        } finally {
            Arrays.fill(typed, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "Ed25519NoteSigner[" + name() + "+" + NoteKeyIds.hex(keyId()) + "]";
    }
}
