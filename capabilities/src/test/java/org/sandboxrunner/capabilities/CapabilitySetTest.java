package org.sandboxrunner.capabilities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CapabilitySetTest {
    private static final long NAMED = (1L << 41) - 1;

    @Test
    void setOperationsWorkOnTheBitmap() {
        CapabilitySet a = CapabilitySet.of(Capability.CAP_CHOWN, Capability.CAP_KILL);
        CapabilitySet b = CapabilitySet.of(Capability.CAP_KILL, Capability.CAP_NET_RAW);
        assertEquals(CapabilitySet.of(Capability.CAP_CHOWN, Capability.CAP_KILL, Capability.CAP_NET_RAW), a.union(b));
        assertEquals(CapabilitySet.of(Capability.CAP_KILL), a.intersect(b));
        assertEquals(CapabilitySet.of(Capability.CAP_CHOWN), a.minus(b));
        assertTrue(a.contains(Capability.CAP_CHOWN));
        assertFalse(a.contains(Capability.CAP_NET_RAW));
        assertTrue(CapabilitySet.of(Capability.CAP_KILL).isSubsetOf(a));
        assertFalse(b.isSubsetOf(a));
        assertTrue(CapabilitySet.EMPTY.isSubsetOf(CapabilitySet.EMPTY));
        assertEquals(2, a.size());
        assertEquals(0x21L, a.bits());
    }

    @Property
    void theAlgebraHoldsForAnySets(@ForAll long x, @ForAll long y) {
        CapabilitySet a = new CapabilitySet(x);
        CapabilitySet b = new CapabilitySet(y);
        assertTrue(a.intersect(b).isSubsetOf(a) && a.intersect(b).isSubsetOf(b));
        assertTrue(a.isSubsetOf(a.union(b)) && b.isSubsetOf(a.union(b)));
        assertEquals(CapabilitySet.EMPTY, a.minus(b).intersect(b));
        assertEquals(a, a.minus(b).union(a.intersect(b)));
        assertEquals(a.isSubsetOf(b), a.minus(b).isEmpty());
        assertEquals(a.size(), a.numbers().size());
        assertEquals(a, CapabilitySet.ofNumbers(a.numbers().stream().mapToInt(Integer::intValue).toArray()));
    }

    @Test
    void hexIsSixteenDigitsAsProcShowsThem() {
        assertEquals("000001fffeffffff", new CapabilitySet(0x1fffeffffffL).toHex());
        assertEquals("0000000000000000", CapabilitySet.EMPTY.toHex());
        assertEquals("ffffffffffffffff", new CapabilitySet(-1L).toHex());
        assertEquals(new CapabilitySet(0x1fffeffffffL), CapabilitySet.parseHex("000001fffeffffff"));
        assertEquals(new CapabilitySet(-1L), CapabilitySet.parseHex("FFFFFFFFFFFFFFFF"));
    }

    @Property
    void hexRoundTrips(@ForAll long bits) {
        CapabilitySet set = new CapabilitySet(bits);
        assertEquals(set, CapabilitySet.parseHex(set.toHex()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1fffeffffff", "0x000001fffeffffff", "000001fffefffffg", "000001fffeffffff ", "0000001fffeffffff"})
    void hexOtherThanSixteenDigitsIsRefused(String hex) {
        String message = assertThrows(CapabilityException.class, () -> CapabilitySet.parseHex(hex)).getMessage();
        assertEquals("\"" + hex + "\" is not a capability bitmap: expected 16 hex digits as /proc/PID/status shows them,"
                + " e.g. 000001ffffffffff", message);
    }

    @Test
    void namesGoByNumberAndUnnamedBitsAppearAsNumbers() {
        assertEquals(List.of("CAP_CHOWN", "CAP_KILL", "CAP_CHECKPOINT_RESTORE", "41", "63"),
                CapabilitySet.of(Capability.CAP_CHECKPOINT_RESTORE, Capability.CAP_KILL, Capability.CAP_CHOWN)
                        .union(CapabilitySet.ofNumbers(63, 41)).names());
        assertEquals(List.of(), CapabilitySet.EMPTY.names());
        assertEquals("0000000000000020 [CAP_KILL]", CapabilitySet.of(Capability.CAP_KILL).toString());
    }

    @Test
    void numbersOutsideSixtyFourBitsAreRefused() {
        assertEquals("capability number 64 is outside 0..63, the bits of a kernel capability set",
                assertThrows(CapabilityException.class, () -> CapabilitySet.ofNumbers(64)).getMessage());
        assertThrows(CapabilityException.class, () -> CapabilitySet.ofNumbers(-1));
        assertThrows(CapabilityException.class, () -> CapabilitySet.EMPTY.containsNumber(64));
    }

    @Test
    void dockerDefaultIsMobysFourteen() {
        assertEquals(List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
                        "CAP_SETUID", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SYS_CHROOT", "CAP_MKNOD",
                        "CAP_AUDIT_WRITE", "CAP_SETFCAP"),
                CapabilitySet.DOCKER_DEFAULT.names());
        assertFalse(CapabilitySet.DOCKER_DEFAULT.contains(Capability.CAP_SYS_ADMIN));
    }

    /** libcap's decoder, asked through capsh, names the same capabilities for the same bitmap. */
    @Property(tries = 25)
    void capshDecodesTheBitmapToTheSameNames(@ForAll @LongRange(min = 0, max = NAMED) long bits) throws Exception {
        CapabilitySet set = new CapabilitySet(bits);
        String decoded = Commands.line(Commands.run("capsh", "--decode=0x" + set.toHex()), "0x" + set.toHex() + "=");
        List<String> ours = set.names().stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
        assertEquals(ours, decoded.isEmpty() ? List.of() : List.of(decoded.split(",")));
    }
}
