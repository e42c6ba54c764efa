package org.sandboxrunner.audit.note;

/** A private key that signs note texts; implementations must never reveal the key in {@code toString}. */
public interface NoteSigner {

    String name();

    int keyId();

    /** The signature over the exact note text bytes, without the 4-byte key ID. */
    byte[] sign(byte[] text);

    /** The verifier for this signer's public key. */
    NoteVerifier verifier();
}
