package org.sandboxrunner.core.cgroup;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The file a supervisor polls to enforce a CPU-time limit: it grows with the CPU time of every task
 * in the run's cgroup, exited children included. The native stage opens {@link #path()} once and
 * re-reads it from offset 0 (cgroup files are generated on each read); {@link #format()} says how
 * to get nanoseconds out of what it reads.
 */
public record CpuUsageFile(Path path, Format format) {

    public CpuUsageFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(format, "format");
    }

    /** Same constants, in the same order, as {@code org.sandboxrunner.core.launch.CpuWatch.Format}. */
    public enum Format {
        /** v1 {@code cpuacct.usage}: one decimal number, nanoseconds, then a newline. */
        NANOSECONDS,
        /** v2 {@code cpu.stat}: flat keyed lines; the {@code usage_usec} line is in microseconds. */
        CPU_STAT
    }

    /** Converts the file's text to nanoseconds. */
    public long parseNanos(String text) throws CgroupException {
        return switch (format) {
            case NANOSECONDS -> parseNumber(text.strip());
            case CPU_STAT -> Math.multiplyExact(KeyedValues.parse(path, text).require("usage_usec"), 1000L);
        };
    }

    public long readNanos() throws CgroupException {
        return parseNanos(CgroupFiles.read(path));
    }

    private long parseNumber(String digits) throws CgroupException {
        try {
            long value = Long.parseLong(digits);
            if (value < 0) {
                throw new CgroupException(path + ": negative CPU time '" + digits + "'");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new CgroupException(path + ": not a number of nanoseconds: '" + digits + "'", e);
        }
    }
}
