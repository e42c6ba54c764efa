package org.sandboxrunner.audit;

/** An event whose line would exceed {@link AuditLines#MAX_LINE_BYTES}; nothing was written. */
public final class LineTooLongException extends IllegalArgumentException {

    public LineTooLongException(String message) {
        super(message);
    }
}
