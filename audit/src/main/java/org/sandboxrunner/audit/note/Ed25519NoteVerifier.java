package org.sandboxrunner.audit.note;

import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 note verifier, read from and written as the verifier key string of
 * golang.org/x/mod/sumdb/note: {@code name+hex(keyid)+base64(0x01 || 32-byte public key)}.
 */
public final class Ed25519NoteVerifier implements NoteVerifier {

    private static final int PUBLIC_KEY_SIZE = 32;

    private final String name;
    private final int keyId;
    private final byte[] publicKey;

    private Ed25519NoteVerifier(String name, byte[] publicKey) {
        this.name = name;
        this.publicKey = publicKey.clone();
        this.keyId = NoteKeyIds.keyId(name, typed(publicKey));
    }

    /** A verifier for a 32-byte RFC 8032 public key. */
    public static Ed25519NoteVerifier of(String name, byte[] publicKey) throws NoteFormatException {
        NoteKeyIds.requireValidName(name);
        if (publicKey.length != PUBLIC_KEY_SIZE) {
            throw new NoteFormatException("an Ed25519 public key has 32 bytes, not " + publicKey.length);
        }
        return new Ed25519NoteVerifier(name, publicKey);
    }

    /**
     * Parses a verifier key string and checks that its key ID is the one its name and key give.
     *
     * @throws NoteFormatException naming the part that is wrong
     */
    public static Ed25519NoteVerifier parse(String vkey) throws NoteFormatException {
        String[] parts = vkey.split("\\+", 3);
        if (parts.length != 3) {
            throw new NoteFormatException("verifier key \"" + vkey + "\" is not NAME+KEYID+BASE64");
        }
        String name = parts[0];
        NoteKeyIds.requireValidName(name);
        if (!parts[1].matches("[0-9a-f]{8}")) {
            throw new NoteFormatException("verifier key for " + name + ": key ID \"" + parts[1] + "\" is not 8 lowercase hex digits");
        }
        byte[] typed = NoteKeyIds.decodeBase64("verifier key for " + name, parts[2]);
        if (typed.length == 0 || typed[0] != NoteKeyIds.ED25519) {
            throw new NoteFormatException("verifier key for " + name + " has signature type "
                    + (typed.length == 0 ? "(none)" : String.format("0x%02x", typed[0])) + "; only Ed25519 (0x01) is supported");
        }
        Ed25519NoteVerifier verifier = of(name, Arrays.copyOfRange(typed, 1, typed.length));
        if (!NoteKeyIds.hex(verifier.keyId).equals(parts[1])) {
            throw new NoteFormatException("verifier key for " + name + " says key ID " + parts[1] + " but its name and key give "
                    + NoteKeyIds.hex(verifier.keyId));
        }
        return verifier;
    }

    static byte[] typed(byte[] publicKey) {
        byte[] typed = new byte[publicKey.length + 1];
        typed[0] = NoteKeyIds.ED25519;
        System.arraycopy(publicKey, 0, typed, 1, publicKey.length);
        return typed;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int keyId() {
        return keyId;
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public boolean verify(byte[] text, byte[] signature) {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
        verifier.update(text, 0, text.length);
        return verifier.verifySignature(signature);
    }

    /** The verifier key string, safe to publish. */
    public String encoded() {
        return name + "+" + NoteKeyIds.hex(keyId) + "+" + Base64.getEncoder().encodeToString(typed(publicKey));
    }

    @Override
    public String toString() {
        return encoded();
    }
}
