package org.sandboxrunner.core.run;

import java.util.OptionalLong;

/** Limits given with the request (CLI flags); each one present replaces the profile's value. */
public record LimitOverrides(OptionalLong cpuTimeMs, OptionalLong wallTimeMs, OptionalLong memoryBytes,
        OptionalLong pids, OptionalLong outputBytes) {

    public LimitOverrides {
        check(cpuTimeMs, "CPU time limit");
        check(wallTimeMs, "wall time limit");
        check(memoryBytes, "memory limit");
        check(pids, "pids limit");
        outputBytes.ifPresent(v -> {
            if (v < 0) {
                throw new IllegalArgumentException("output limit must not be negative, got " + v);
            }
        });
    }

    private static void check(OptionalLong v, String what) {
        v.ifPresent(x -> {
            if (x <= 0) {
                throw new IllegalArgumentException(what + " must be positive, got " + x);
            }
        });
    }

    public static LimitOverrides none() {
        return new LimitOverrides(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
                OptionalLong.empty(), OptionalLong.empty());
    }
}
