package org.sandboxrunner.capabilities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class CapabilityDiffTest {
    private static final CapabilitySet NET_BIND = CapabilitySet.of(Capability.CAP_NET_BIND_SERVICE);

    @Test
    void sameStateHasNoDifference() {
        CapabilitySets sets = new CapabilitySets(NET_BIND, NET_BIND, NET_BIND, NET_BIND, NET_BIND);
        CapabilityState expected = CapabilityState.of(sets, SecureBits.of(SecureBit.NOROOT));
        CapabilityDiff diff = CapabilityDiff.between(expected, sets, SecureBits.of(SecureBit.NOROOT));
        assertTrue(diff.isEmpty());
        assertEquals(List.of(), diff.sentences());
    }

    @Test
    void eachDifferenceIsOneSentence() {
        CapabilityState expected = CapabilityState.of(
                new CapabilitySets(NET_BIND, NET_BIND, NET_BIND, NET_BIND, NET_BIND), SecureBits.of(SecureBit.NOROOT));
        CapabilitySets observed = CapabilitySets.fromBitmaps(
                NET_BIND.bits() | Capability.CAP_SYS_ADMIN.mask(), NET_BIND.bits(),
                Capability.CAP_NET_ADMIN.mask(), NET_BIND.bits(), (1L << 45) | NET_BIND.bits());
        CapabilityDiff diff = CapabilityDiff.between(expected, observed, SecureBits.of(SecureBit.KEEP_CAPS));
        assertEquals(List.of(
                "bounding: has CAP_SYS_ADMIN, profile does not grant it",
                "effective: has CAP_NET_ADMIN, profile does not grant it",
                "effective: lacks CAP_NET_BIND_SERVICE, which the profile grants",
                "ambient: has 45, profile does not grant it",
                "securebits: has keep_caps, profile does not set it",
                "securebits: lacks noroot, which the profile sets"), diff.sentences());
        assertEquals(new CapabilityDiff.Difference("bounding", "CAP_SYS_ADMIN", CapabilityDiff.Direction.UNEXPECTED),
                diff.differences().get(0));
    }

    /** The differences are exactly the symmetric difference of each pair of sets. */
    @Property
    void differencesCountTheSymmetricDifference(@ForAll long b1, @ForAll long p1, @ForAll long e1, @ForAll long i1, @ForAll long a1,
            @ForAll long b2, @ForAll long p2, @ForAll long e2, @ForAll long i2, @ForAll long a2) {
        CapabilitySets expected = CapabilitySets.fromBitmaps(b1, p1, e1, i1, a1);
        CapabilitySets observed = CapabilitySets.fromBitmaps(b2, p2, e2, i2, a2);
        CapabilityDiff diff = CapabilityDiff.betweenSets(expected, observed);
        int count = Long.bitCount(b1 ^ b2) + Long.bitCount(p1 ^ p2) + Long.bitCount(e1 ^ e2) + Long.bitCount(i1 ^ i2)
                + Long.bitCount(a1 ^ a2);
        assertEquals(count, diff.differences().size());
        assertEquals(expected.equals(observed), diff.isEmpty());
        assertTrue(CapabilityDiff.betweenSets(expected, expected).isEmpty());
    }

    /** Against the test JVM: its own state read from /proc shows no difference with itself, and every capability it holds shows against none(). */
    @Test
    void theLiveStateOfThisJvmAgainstNone() throws Exception {
        CapabilitySets live = ProcStatus.readSelf().capabilities();
        assertTrue(CapabilityDiff.betweenSets(live, live).isEmpty());
        List<String> expected = new ArrayList<>();
        for (CapabilitySetKind kind : CapabilitySetKind.values()) {
            live.get(kind).names().forEach(name -> expected.add(kind.label() + ": has " + name + ", profile does not grant it"));
        }
        assertEquals(expected, CapabilityDiff.between(CapabilityState.none(), live, SecureBits.NONE).sentences());
    }
}
