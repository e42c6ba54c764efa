package org.sandboxrunner.policy;

import java.util.Optional;

/**
 * Runner addition {@code audit}: where the run's audit events go.
 *
 * @param log        the JSON Lines log file; empty when only the CLI's --audit names one
 * @param signingKey the Ed25519 key file that signs checkpoints; empty for a chain without checkpoints
 */
public record AuditSpec(Optional<String> log, Optional<String> signingKey) {

    public AuditSpec {
        Checks.required(log, "audit.log");
        Checks.required(signingKey, "audit.signingKey");
        log.ifPresent(p -> Checks.absolutePath(p, "audit.log"));
        signingKey.ifPresent(p -> Checks.absolutePath(p, "audit.signingKey"));
    }

    public static AuditSpec none() {
        return new AuditSpec(Optional.empty(), Optional.empty());
    }
}
