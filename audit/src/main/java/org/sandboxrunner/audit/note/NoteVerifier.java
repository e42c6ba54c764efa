package org.sandboxrunner.audit.note;

/**
 * A public key that can check signatures in signed notes, known by its key name and key ID. Ed25519
 * is the only type this project signs with; other types (for example the ECDSA keys of Sigstore's
 * Rekor) can be plugged in by implementing this interface.
 */
public interface NoteVerifier {

    String name();

    int keyId();

    /** Whether {@code signature} (without the 4-byte key ID) is valid over the exact note text bytes. */
    boolean verify(byte[] text, byte[] signature);
}
