package org.sandboxrunner.audit;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A writer process for {@link MultiProcessTest}: {@code CrashWriter LOG SKEY EVENTS} appends
 * EVENTS events (forever when EVENTS is 0, until killed), checkpointing every few, and prints
 * {@code open} once the log is open.
 */
public final class CrashWriter {

    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path log = Path.of(args[0]);
        long events = Long.parseLong(args[2]);
        AuditOptions options = AuditOptions.builder(TestEvents.ORIGIN, "0.1.0-SNAPSHOT")
                .signer(AuditKeys.loadSigner(Path.of(args[1])))
                .checkpointEvery(5, Duration.ofHours(1))
                .build();
        try (AuditLog audit = AuditLog.open(log, options)) {
            System.out.println("open");
            System.out.flush();
            for (long i = 0; events == 0 || i < events; i++) {
                audit.append(TestEvents.step("run-" + ProcessHandle.current().pid(), "step-" + i));
                if (i % 7 == 6) {
                    audit.checkpoint();
                }
            }
        }
    }
}
