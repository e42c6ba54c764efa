package org.sandboxrunner.audit.note;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.sandboxrunner.audit.merkle.MerkleHash;

/** Key names, key IDs and the strict base64 of C2SP signed-note (c2sp.org/signed-note). */
public final class NoteKeyIds {

    /** Signature type byte of Ed25519 in the signed-note registry. */
    public static final byte ED25519 = 0x01;

    private NoteKeyIds() {
    }

    /**
     * signed-note: key ID = SHA-256(key name || 0x0A || signature type || public key)[:4], big-endian.
     *
     * @param typedPublicKey the signature type byte followed by the public key encoding
     */
    public static int keyId(String name, byte[] typedPublicKey) {
        MessageDigest digest = MerkleHash.sha256();
        digest.update(name.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
        digest.update(typedPublicKey);
        byte[] hash = digest.digest();
        return ((hash[0] & 0xff) << 24) | ((hash[1] & 0xff) << 16) | ((hash[2] & 0xff) << 8) | (hash[3] & 0xff);
    }

    /** signed-note: key names are non-empty and contain neither Unicode spaces nor '+'. */
    public static void requireValidName(String name) throws NoteFormatException {
        if (name.isEmpty()) {
            throw new NoteFormatException("key name is empty");
        }
        int bad = name.codePoints()
                .filter(c -> c == '+' || c == 0x85 || Character.isWhitespace(c) || Character.isSpaceChar(c))
                .findFirst().orElse(-1);
        if (bad >= 0) {
            throw new NoteFormatException("key name \"" + name + "\" contains "
                    + (bad == '+' ? "'+'" : String.format("the space U+%04X", bad)) + ", which signed-note forbids");
        }
    }

    /** The key ID as 8 lowercase hex digits, as in verifier keys. */
    public static String hex(int keyId) {
        return String.format("%08x", keyId);
    }

    /**
     * Standard base64 (RFC 4648 section 4) with padding, refusing every other spelling of the same
     * bytes so that one byte string has exactly one accepted text.
     */
    public static byte[] decodeBase64(String what, String text) throws NoteFormatException {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new NoteFormatException(what + " is not base64: " + e.getMessage());
        }
        if (!Base64.getEncoder().encodeToString(bytes).equals(text)) {
            throw new NoteFormatException(what + " is not canonical padded base64");
        }
        return bytes;
    }
}
