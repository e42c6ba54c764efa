package org.sandboxrunner.capabilities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class CapabilityStateTest {
    private static final CapabilitySet NET_BIND = CapabilitySet.of(Capability.CAP_NET_BIND_SERVICE);
    private static final CapabilitySet KILL = CapabilitySet.of(Capability.CAP_KILL);

    @Test
    void noneIsEmptyEverywhere() {
        CapabilityState none = CapabilityState.none();
        assertEquals(CapabilitySets.NONE, none.sets());
        assertEquals(SecureBits.NONE, none.securebits());
        assertEquals(InheritableRule.EQUALS_AMBIENT, none.inheritableRule());
    }

    @Test
    void oneAmbientCapabilityForANonRootUidIsValid() {
        CapabilitySets sets = new CapabilitySets(NET_BIND, NET_BIND, NET_BIND, NET_BIND, NET_BIND);
        CapabilityState state = CapabilityState.of(sets, SecureBits.of(SecureBit.NOROOT, SecureBit.NOROOT_LOCKED));
        assertEquals(sets, state.sets());
    }

    @Test
    void dockerLikeRootWithoutInheritableIsValid() {
        CapabilitySet docker = CapabilitySet.DOCKER_DEFAULT;
        CapabilityState.of(new CapabilitySets(docker, docker, docker, CapabilitySet.EMPTY, CapabilitySet.EMPTY), SecureBits.NONE);
    }

    @Test
    void everyViolationIsReportedWithItsSetAndCapability() {
        CapabilitySets sets = new CapabilitySets(
                KILL,                                                   // bounding
                KILL.union(NET_BIND),                                   // permitted: NET_BIND outside bounding
                CapabilitySet.of(Capability.CAP_CHOWN),                 // effective: outside permitted and bounding
                KILL,                                                   // inheritable: more than ambient needs
                NET_BIND);                                              // ambient: outside inheritable and bounding
        CapabilityStateException e = assertThrows(CapabilityStateException.class, () -> CapabilityState.of(sets, SecureBits.NONE));
        assertEquals(List.of(
                "effective: CAP_CHOWN is not in permitted (effective must be a subset of permitted)",
                "ambient: CAP_NET_BIND_SERVICE is not in inheritable (ambient must be a subset of permitted and inheritable)",
                "permitted: CAP_NET_BIND_SERVICE is not in bounding (no set may hold a capability outside bounding)",
                "effective: CAP_CHOWN is not in bounding (no set may hold a capability outside bounding)",
                "ambient: CAP_NET_BIND_SERVICE is not in bounding (no set may hold a capability outside bounding)",
                "inheritable: CAP_KILL is not in ambient (inheritable holds only what ambient needs (CVE-2022-29162);"
                        + " a profile that means more must allow it explicitly)"),
                e.violations());
        assertTrue(e.getMessage().startsWith("invalid capability state: effective: CAP_CHOWN is not in permitted"), e.getMessage());
    }

    @Test
    void ambientOutsidePermittedIsReported() {
        CapabilitySets sets = new CapabilitySets(NET_BIND, CapabilitySet.EMPTY, CapabilitySet.EMPTY, NET_BIND, NET_BIND);
        assertEquals(List.of("ambient: CAP_NET_BIND_SERVICE is not in permitted (ambient must be a subset of permitted and inheritable)"),
                CapabilityState.violations(sets, InheritableRule.EQUALS_AMBIENT));
    }

    @Test
    void inheritableBeyondAmbientNeedsTheExplicitRule() {
        CapabilitySet both = KILL.union(NET_BIND);
        CapabilitySets sets = new CapabilitySets(both, both, CapabilitySet.EMPTY, both, NET_BIND);
        assertThrows(CapabilityStateException.class, () -> CapabilityState.of(sets, SecureBits.NONE));
        CapabilityState allowed = new CapabilityState(sets, SecureBits.NONE, InheritableRule.MAY_EXCEED_AMBIENT);
        assertEquals(InheritableRule.MAY_EXCEED_AMBIENT, allowed.inheritableRule());
        // Even so, inheritable stays inside bounding.
        CapabilitySets outside = new CapabilitySets(NET_BIND, NET_BIND, CapabilitySet.EMPTY, both, NET_BIND);
        assertEquals(List.of("inheritable: CAP_KILL is not in bounding (no set may hold a capability outside bounding)"),
                CapabilityState.violations(outside, InheritableRule.MAY_EXCEED_AMBIENT));
    }

    /** The reported violations are exactly the subset relations that fail, for any five sets. */
    @Property
    void violationsAppearExactlyWhenARuleFails(
            @ForAll @LongRange(min = 0, max = 0xff) long b, @ForAll @LongRange(min = 0, max = 0xff) long p,
            @ForAll @LongRange(min = 0, max = 0xff) long e, @ForAll @LongRange(min = 0, max = 0xff) long i,
            @ForAll @LongRange(min = 0, max = 0xff) long a, @ForAll boolean strict) {
        CapabilitySets sets = CapabilitySets.fromBitmaps(b, p, e, i, a);
        InheritableRule rule = strict ? InheritableRule.EQUALS_AMBIENT : InheritableRule.MAY_EXCEED_AMBIENT;
        long outside = (e & ~p) | (a & ~(p & i)) | ((p | e | i | a) & ~b) | (strict ? i & ~a : 0);
        List<String> violations = CapabilityState.violations(sets, rule);
        assertEquals(outside == 0, violations.isEmpty(), violations::toString);
        int expectedCount = Long.bitCount(e & ~p) + Long.bitCount(a & ~p) + Long.bitCount(a & ~i)
                + Long.bitCount(p & ~b) + Long.bitCount(e & ~b) + Long.bitCount(i & ~b) + Long.bitCount(a & ~b)
                + (strict ? Long.bitCount(i & ~a) : 0);
        assertEquals(expectedCount, violations.size());
    }
}
