package org.sandboxrunner.audit.note;

import java.util.Arrays;
import java.util.Base64;

/**
 * One signature line of a signed note: {@code — <key name> base64(key ID || signature)}.
 *
 * @param name key name
 * @param keyId the 4-byte key ID, big-endian
 * @param base64 the base64 text of the line, key ID included, exactly as it appears
 */
public record NoteSignature(String name, int keyId, String base64) {

    public NoteSignature {
        int embedded;
        try {
            embedded = embeddedKeyId(name, base64);
        } catch (NoteFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (embedded != keyId) {
            throw new IllegalArgumentException("signature by " + name + " embeds key ID " + NoteKeyIds.hex(embedded)
                    + ", not " + NoteKeyIds.hex(keyId));
        }
    }

    /**
     * Reads the key name and the base64 value of a signature line; the key ID is the value's first
     * four bytes, big-endian.
     */
    public static NoteSignature parse(String name, String base64) throws NoteFormatException {
        return new NoteSignature(name, embeddedKeyId(name, base64), base64);
    }

    private static int embeddedKeyId(String name, String base64) throws NoteFormatException {
        NoteKeyIds.requireValidName(name);
        byte[] raw = NoteKeyIds.decodeBase64("signature by " + name, base64);
        if (raw.length < 5) {
            throw new NoteFormatException("signature by " + name + " has " + raw.length
                    + " bytes; a key ID and a signature need at least 5");
        }
        return ((raw[0] & 0xff) << 24) | ((raw[1] & 0xff) << 16) | ((raw[2] & 0xff) << 8) | (raw[3] & 0xff);
    }

    /** Builds the signature line value from a key and the raw signature bytes. */
    static NoteSignature of(String name, int keyId, byte[] signature) {
        byte[] raw = new byte[4 + signature.length];
        raw[0] = (byte) (keyId >>> 24);
        raw[1] = (byte) (keyId >>> 16);
        raw[2] = (byte) (keyId >>> 8);
        raw[3] = (byte) keyId;
        System.arraycopy(signature, 0, raw, 4, signature.length);
        return new NoteSignature(name, keyId, Base64.getEncoder().encodeToString(raw));
    }

    /** The signature bytes without the key ID. */
    public byte[] signature() {
        byte[] raw = Base64.getDecoder().decode(base64);
        return Arrays.copyOfRange(raw, 4, raw.length);
    }

    /** "name+keyid", the way signed-note tools name a key. */
    public String keyLabel() {
        return name + "+" + NoteKeyIds.hex(keyId);
    }

    String line() {
        return "\u2014 " + name + " " + base64 + "\n";
    }
}
