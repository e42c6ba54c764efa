package org.sandboxrunner.core.trust;

/**
 * A signature, key or trust decision does not hold: the message says which and why. Signature checks
 * throw it for a signature that does not verify; {@link TrustEvaluator} collects these into the reason an
 * image is refused.
 */
public class TrustException extends Exception {
    private static final long serialVersionUID = 1L;

    public TrustException(String message) {
        super(message);
    }

    public TrustException(String message, Throwable cause) {
        super(message, cause);
    }
}
