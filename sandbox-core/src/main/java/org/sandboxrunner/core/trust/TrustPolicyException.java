package org.sandboxrunner.core.trust;

/** The trust policy file is unreadable or invalid; the message names the file and the JSON path. */
public class TrustPolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    public TrustPolicyException(String message) {
        super(message);
    }

    public TrustPolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
