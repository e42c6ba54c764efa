package org.sandboxrunner.core.cgroup;

/**
 * CFS bandwidth: the run's processes together get at most {@code quotaMicros} of CPU time in every
 * {@code periodMicros}. v1 {@code cpu.cfs_quota_us}/{@code cpu.cfs_period_us}, v2 {@code cpu.max}.
 * The bounds are the kernel's (kernel/sched/core.c: period 1 ms..1 s, quota at least 1 ms).
 */
public record CpuQuota(long quotaMicros, long periodMicros) {
    public static final long DEFAULT_PERIOD_MICROS = 100_000;
    static final long MIN_MICROS = 1_000;
    static final long MAX_PERIOD_MICROS = 1_000_000;
    /** The kernel refuses quotas above about 2^44 ns of runtime; stay well inside. */
    static final long MAX_QUOTA_MICROS = 1L << 40;

    public CpuQuota {
        if (periodMicros < MIN_MICROS || periodMicros > MAX_PERIOD_MICROS) {
            throw new IllegalArgumentException("cpu periodMicros must be between " + MIN_MICROS + " and "
                    + MAX_PERIOD_MICROS + ", got " + periodMicros);
        }
        if (quotaMicros < MIN_MICROS || quotaMicros > MAX_QUOTA_MICROS) {
            throw new IllegalArgumentException("cpu quotaMicros must be between " + MIN_MICROS + " and "
                    + MAX_QUOTA_MICROS + ", got " + quotaMicros);
        }
    }

    /** A quota worth {@code cpus} CPUs (1.0 = one full CPU) over the default 100 ms period. */
    public static CpuQuota ofCpus(double cpus) {
        if (!Double.isFinite(cpus) || cpus <= 0) {
            throw new IllegalArgumentException("cpus must be a positive number, got " + cpus);
        }
        double quota = Math.rint(cpus * DEFAULT_PERIOD_MICROS);
        if (quota < MIN_MICROS || quota > MAX_QUOTA_MICROS) {
            throw new IllegalArgumentException("cpus " + cpus + " gives a quota of " + (long) quota
                    + " us per " + DEFAULT_PERIOD_MICROS + " us, outside " + MIN_MICROS + ".." + MAX_QUOTA_MICROS);
        }
        return new CpuQuota((long) quota, DEFAULT_PERIOD_MICROS);
    }

    /** The quota as a number of CPUs. */
    public double cpus() {
        return (double) quotaMicros / periodMicros;
    }
}
