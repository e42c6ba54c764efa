package org.sandboxrunner.audit;

import java.io.IOException;

/**
 * A log a writer must not extend: changed by something other than an {@link AuditLog}, shorter
 * than its signed checkpoint, written for another origin, or (with {@link TornTailPolicy#REFUSE})
 * ending in a torn line. The message names the file, line and offset.
 */
public final class AuditLogCorruptException extends IOException {

    public AuditLogCorruptException(String message) {
        super(message);
    }
}
