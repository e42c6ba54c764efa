package org.sandboxrunner.core.run;

import java.util.Optional;
import org.sandboxrunner.audit.AuditLog;

/**
 * How a {@link Sandbox} is set up.
 *
 * @param audit where every run's events go; the caller opens and closes the log
 */
public record SandboxOptions(Optional<AuditLog> audit) {

    public SandboxOptions {
        if (audit == null) {
            throw new NullPointerException("audit");
        }
    }

    public static SandboxOptions defaults() {
        return new SandboxOptions(Optional.empty());
    }

    public SandboxOptions withAudit(AuditLog log) {
        return new SandboxOptions(Optional.of(log));
    }
}
