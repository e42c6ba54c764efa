package org.sandboxrunner.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Events as the pipeline writes them, for tests. */
final class TestEvents {

    static final String ORIGIN = "grader.example.org/audit";
    static final String PROFILE_SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private TestEvents() {
    }

    static AuditObject run(String runId) {
        return AuditObject.forRun(runId)
                .withProfile("judge-default", PROFILE_SHA)
                .withImage("sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00", "cosign:ab12")
                .withCommand(List.of("/usr/bin/python3", "solution.py"));
    }

    static AuditEvent step(String runId, String step) {
        ObjectNode details = AuditEvent.newDetails().put("step", step);
        return AuditEvent.success("run.step", step, run(runId), details);
    }

    static AuditEvent outcome(String runId, String status, long cpuMs, long memoryBytes) {
        ObjectNode details = AuditEvent.newDetails()
                .put("status", status)
                .put("exitCode", 0)
                .put("cpuTimeMs", cpuMs)
                .put("wallTimeMs", cpuMs + 7)
                .put("memoryPeakBytes", memoryBytes);
        return AuditEvent.success("run.outcome", "run", run(runId), details);
    }
}
