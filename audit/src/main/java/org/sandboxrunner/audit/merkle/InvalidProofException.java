package org.sandboxrunner.audit.merkle;

/** A Merkle inclusion or consistency proof that does not prove what it claims; the message says why. */
public final class InvalidProofException extends Exception {

    public InvalidProofException(String message) {
        super(message);
    }
}
