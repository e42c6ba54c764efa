package org.sandboxrunner.core.cgroup;

/** Conversions from the OCI/v1 weight scales to the v2 ones. */
final class CgroupWeights {
    private CgroupWeights() {}

    /**
     * cpu.shares (2..262144, default 1024) to cpu.weight (1..10000, default 100) with the curve runc
     * 1.3.2 and crun 1.23 adopted (runc PR 4785): with l = log2(shares), weight =
     * ceil(10^((l^2 + 125 l) / 612 - 7/34)). It maps 2, 1024 and 262144 to 1, 100 and 10000, so the
     * default stays the default (the older linear formula turned 1024 into 39).
     */
    static long cpuWeightFromShares(long shares) {
        if (shares <= CgroupLimits.MIN_CPU_SHARES) {
            return 1;
        }
        if (shares >= CgroupLimits.MAX_CPU_SHARES) {
            return 10_000;
        }
        // Exact for powers of two (Java has no log2), so 1024 gives exactly 100.
        double l = Long.bitCount(shares) == 1 ? Long.numberOfTrailingZeros(shares) : Math.log(shares) / Math.log(2);
        double exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
        return Math.min(10_000, Math.max(1, (long) Math.ceil(Math.pow(10, exponent))));
    }

    /** blockIO.weight (10..1000) to io.weight (1..10000), linearly as crun does. */
    static long ioWeightFromOci(long weight) {
        return 1 + (weight - CgroupLimits.MIN_IO_WEIGHT) * 9999 / (CgroupLimits.MAX_IO_WEIGHT - CgroupLimits.MIN_IO_WEIGHT);
    }
}
