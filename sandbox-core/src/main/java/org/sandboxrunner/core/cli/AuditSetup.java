package org.sandboxrunner.core.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import org.sandboxrunner.audit.AuditKeys;
import org.sandboxrunner.audit.AuditLog;
import org.sandboxrunner.audit.AuditOptions;
import org.sandboxrunner.policy.Profile;

/** Opens the audit log a run writes to: the CLI's choice first, then the profile's. */
final class AuditSetup {
    private AuditSetup() {}

    /** @return the open log, or null when neither the CLI nor the profile names one */
    static AuditLog open(Path cliLog, Path cliKey, Profile profile) throws IOException {
        Path log = cliLog != null ? cliLog : profile.audit().log().map(Path::of).orElse(null);
        if (log == null) {
            return null;
        }
        Path key = cliKey != null ? cliKey : profile.audit().signingKey().map(Path::of).orElse(null);
        // The checkpoint origin names the log: this host and the log's path (C2SP tlog-checkpoint).
        AuditOptions.Builder options = AuditOptions.builder(
                "sandbox-runner/" + InetAddress.getLocalHost().getHostName() + log.toAbsolutePath(), Version.runner());
        if (key != null) {
            options.signer(AuditKeys.loadSigner(key));
        }
        return AuditLog.open(log, options.build());
    }
}
