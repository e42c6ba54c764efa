package org.sandboxrunner.capabilities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SecureBitsTest {

    @Test
    void bitNumbersAreThoseOfTheInstalledKernelHeader() throws Exception {
        Map<String, Integer> header = Headers.numericDefines("linux/securebits.h", "SECURE_");
        Map<String, Integer> ours = new LinkedHashMap<>();
        Arrays.stream(SecureBit.values()).forEach(flag -> ours.put("SECURE_" + flag.name(), flag.bit()));
        assertEquals(new LinkedHashMap<>(header), ours);
        assertEquals(0x10, SecureBit.KEEP_CAPS.mask());
        assertEquals(0x80, SecureBit.NO_CAP_AMBIENT_RAISE_LOCKED.mask());
    }

    @Test
    void parsesProfileNamesInAnyCaseAndTheMacroForm() {
        SecureBits bits = SecureBits.parse(List.of("keep_caps", "NOROOT_LOCKED", "SECBIT_NO_SETUID_FIXUP"), "process.securebits");
        assertEquals(SecureBits.of(SecureBit.KEEP_CAPS, SecureBit.NOROOT_LOCKED, SecureBit.NO_SETUID_FIXUP), bits);
        assertEquals(0x16, bits.mask());
        assertEquals(List.of("noroot_locked", "no_setuid_fixup", "keep_caps"), bits.names());
        assertEquals("0x16 [noroot_locked, no_setuid_fixup, keep_caps]", bits.toString());
    }

    @Test
    void anUnknownNameGetsTheClosestOnesOrTheWholeList() {
        assertEquals("process.securebits[0]: unknown securebit \"keep_cap\" (did you mean keep_caps?)",
                assertThrows(CapabilityException.class, () -> SecureBits.parse(List.of("keep_cap"), "process.securebits")).getMessage());
        assertEquals("process.securebits[1]: unknown securebit \"root\"; valid: noroot, noroot_locked, no_setuid_fixup,"
                        + " no_setuid_fixup_locked, keep_caps, keep_caps_locked, no_cap_ambient_raise, no_cap_ambient_raise_locked",
                assertThrows(CapabilityException.class, () -> SecureBits.parse(List.of("noroot", "root"), "process.securebits")).getMessage());
    }

    @Test
    void aRepeatedNameIsRefused() {
        assertEquals("process.securebits[1]: \"KEEP_CAPS\" repeats an earlier entry",
                assertThrows(CapabilityException.class,
                        () -> SecureBits.parse(List.of("keep_caps", "KEEP_CAPS"), "process.securebits")).getMessage());
    }

    @Test
    void bitsTheKernelDoesNotDefineAreRefused() {
        assertEquals("securebits 0x100 has bits the kernel does not define (only 0xff)",
                assertThrows(CapabilityException.class, () -> new SecureBits(0x100)).getMessage());
        assertThrows(CapabilityException.class, () -> new SecureBits(-1));
    }

    @Property
    void namesRoundTripAndFlagsMatchTheMask(@ForAll @IntRange(min = 0, max = 0xff) int mask) {
        SecureBits bits = new SecureBits(mask);
        assertEquals(bits, SecureBits.parse(bits.names(), "bits"));
        assertEquals(bits, SecureBits.of(bits.flags().toArray(SecureBit[]::new)));
        for (SecureBit flag : SecureBit.values()) {
            assertEquals((mask & (1 << flag.bit())) != 0, bits.contains(flag));
            assertFalse(bits.without(flag).contains(flag));
        }
    }

    @Test
    void withoutClearsOnlyThatFlag() {
        SecureBits bits = SecureBits.of(SecureBit.KEEP_CAPS, SecureBit.NOROOT);
        assertEquals(SecureBits.of(SecureBit.NOROOT), bits.without(SecureBit.KEEP_CAPS));
        assertTrue(SecureBits.NONE.flags().isEmpty());
    }
}
