package org.sandboxrunner.core.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class CgroupWeightsTest {

    @Test
    void cpuSharesKeepTheirDefaultsAndEnds() {
        // The three points the runc 1.3.2 curve is built through, and two between them.
        assertEquals(1, CgroupWeights.cpuWeightFromShares(2));
        assertEquals(100, CgroupWeights.cpuWeightFromShares(1024));
        assertEquals(10_000, CgroupWeights.cpuWeightFromShares(262_144));
        assertEquals(59, CgroupWeights.cpuWeightFromShares(512));
        assertEquals(174, CgroupWeights.cpuWeightFromShares(2048));
    }

    @Property
    void cpuWeightGrowsWithSharesAndStaysInRange(@ForAll @LongRange(min = 2, max = 262_143) long shares) {
        long weight = CgroupWeights.cpuWeightFromShares(shares);
        assertTrue(weight >= 1 && weight <= 10_000, "weight " + weight);
        assertTrue(CgroupWeights.cpuWeightFromShares(shares + 1) >= weight);
    }

    @Test
    void ioWeightMapsTheOciRangeOntoIoWeight() {
        assertEquals(1, CgroupWeights.ioWeightFromOci(10));
        assertEquals(910, CgroupWeights.ioWeightFromOci(100));
        assertEquals(10_000, CgroupWeights.ioWeightFromOci(1000));
    }
}
