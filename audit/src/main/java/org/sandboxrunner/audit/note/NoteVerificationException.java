package org.sandboxrunner.audit.note;

import java.util.List;

/** A well-formed signed note that must be rejected: no trusted signature, or a bad one. */
public final class NoteVerificationException extends Exception {

    /** Why the note is rejected. */
    public enum Reason {
        /** Every signature is by a key the verifier does not know (signed-note: MUST reject). */
        NO_TRUSTED_SIGNATURE,
        /** A signature by a known key does not verify (signed-note: SHOULD reject the whole note). */
        INVALID_SIGNATURE
    }

    private final Reason reason;
    private final List<NoteSignature> unknownSignatures;

    public NoteVerificationException(Reason reason, String message, List<NoteSignature> unknownSignatures) {
        super(message);
        this.reason = reason;
        this.unknownSignatures = List.copyOf(unknownSignatures);
    }

    public Reason reason() {
        return reason;
    }

    /** Signatures by keys that were not given to the verifier. */
    public List<NoteSignature> unknownSignatures() {
        return unknownSignatures;
    }
}
