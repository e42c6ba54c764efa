package org.sandboxrunner.audit;

/** Bytes that are not an audit line as the writer produces them; the message names the field. */
public final class AuditFormatException extends Exception {

    public AuditFormatException(String message) {
        super(message);
    }
}
