package org.sandboxrunner.core.launch;

import java.nio.file.Path;

/**
 * What the native supervisor polls to enforce a CPU limit over every process of the run: a cgroup's
 * usage file, in the format of its cgroup version.
 */
public record CpuWatch(long limitMicros, Path usageFile, Format format) {

    /** The order of the constants is the wire value shared with plan.h. */
    public enum Format {
        /** cgroup v1 {@code cpuacct.usage}: nanoseconds. */
        NANOSECONDS,
        /** cgroup v2 {@code cpu.stat}: a {@code usage_usec} line. */
        CPU_STAT
    }

    public CpuWatch {
        if (limitMicros <= 0) {
            throw new IllegalArgumentException("CPU limit must be positive");
        }
        if (usageFile == null || format == null) {
            throw new NullPointerException("usage file and format are required");
        }
    }
}
