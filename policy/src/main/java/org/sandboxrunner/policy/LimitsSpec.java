package org.sandboxrunner.policy;

import java.util.OptionalLong;

/**
 * Runner addition {@code limits}: what the supervisor enforces outside the sandbox. Empty means no
 * limit.
 *
 * @param cpuTimeMs   CPU time of all the run's processes
 * @param wallTimeMs  elapsed time from exec to exit
 * @param outputBytes bytes written to stdout and stderr together
 */
public record LimitsSpec(OptionalLong cpuTimeMs, OptionalLong wallTimeMs, OptionalLong outputBytes) {

    public LimitsSpec {
        Checks.required(cpuTimeMs, "limits.cpuTimeMs");
        Checks.required(wallTimeMs, "limits.wallTimeMs");
        Checks.required(outputBytes, "limits.outputBytes");
        cpuTimeMs.ifPresent(v -> Checks.positive(v, "limits.cpuTimeMs"));
        wallTimeMs.ifPresent(v -> Checks.positive(v, "limits.wallTimeMs"));
        outputBytes.ifPresent(v -> Checks.nonNegative(v, "limits.outputBytes"));
    }
}
