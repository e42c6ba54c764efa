package org.sandboxrunner.capabilities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KernelCapabilitiesTest {

    @Test
    void parsesTheFileAsTheKernelWritesIt() {
        assertEquals(40, KernelCapabilities.parse("40\n").lastCap());
        assertEquals(37, KernelCapabilities.parse("37\n").lastCap());
        assertEquals(63, KernelCapabilities.parse("63").lastCap());
        assertEquals(0, KernelCapabilities.parse("0\n").lastCap());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "forty\n", "-1\n", " 40\n", "40\n\n", "4 0\n", "400\n"})
    void refusesTextThatIsNotOneNumber(String text) {
        String message = assertThrows(CapabilityException.class, () -> KernelCapabilities.parse(text)).getMessage();
        assertTrue(message.startsWith("/proc/sys/kernel/cap_last_cap holds \""), message);
    }

    @Test
    void refusesALastCapBeyondSixtyFourBits() {
        assertEquals("last capability 64 is outside 0..63, the bits of a kernel capability set",
                assertThrows(CapabilityException.class, () -> KernelCapabilities.parse("64\n")).getMessage());
    }

    @Test
    void theRunningKernelKnowsAtLeastEveryCapabilityOfLinux59() throws Exception {
        KernelCapabilities kernel = KernelCapabilities.read();
        // Debian 12 runs 6.x; CAP_CHECKPOINT_RESTORE (40) arrived in 5.9.
        assertTrue(kernel.lastCap() >= Capability.LAST_NAMED, kernel.toString());
        // Nothing above the last cap can be in any set the kernel shows.
        assertTrue(ProcStatus.readSelf().capabilities().bounding().isSubsetOf(kernel.all()));
    }

    @Test
    void libcapProbesTheSameLastCapabilityFromTheKernel() throws Exception {
        int lastCap = KernelCapabilities.read().lastCap();
        // capsh --supports asks the kernel (PR_CAPBSET_READ) and exits 1 when it does not know the number.
        Commands.run(0, List.of("capsh", "--supports=" + lastCap));
        Commands.run(1, List.of("capsh", "--supports=" + (lastCap + 1)));
    }

    @Test
    void allIsZeroToTheLastCap() {
        assertEquals(0x1ffffffffffL, KernelCapabilities.parse("40").all().bits());
        assertEquals(38, KernelCapabilities.parse("37").all().size());
        assertEquals(-1L, KernelCapabilities.parse("63").all().bits());
        assertEquals(1L, KernelCapabilities.parse("0").all().bits());
    }

    @Test
    void aNamedCapabilityAboveTheLastCapIsNotSupported() {
        KernelCapabilities kernel = KernelCapabilities.parse("37\n");
        assertEquals(Capability.CAP_AUDIT_READ, kernel.require(Capability.CAP_AUDIT_READ));
        assertEquals("CAP_PERFMON (38) is not supported by this kernel, whose last capability is 37",
                assertThrows(CapabilityException.class, () -> kernel.require(Capability.CAP_PERFMON)).getMessage());
        assertFalse(kernel.supports(38));
        assertTrue(kernel.supports(37));
    }

    @Test
    void aNumberAboveTheLastCapIsRefused() {
        KernelCapabilities kernel = KernelCapabilities.parse("40\n");
        assertEquals(40, kernel.requireNumber(40));
        assertEquals("capability 41 is not supported by this kernel, whose last capability is 40",
                assertThrows(CapabilityException.class, () -> kernel.requireNumber(41)).getMessage());
        assertThrows(CapabilityException.class, () -> kernel.requireNumber(-1));
    }

    @Test
    void aSetWithUnsupportedBitsNamesEachOfThem() {
        KernelCapabilities kernel = KernelCapabilities.parse("38\n");
        CapabilitySet set = CapabilitySet.of(Capability.CAP_KILL, Capability.CAP_BPF, Capability.CAP_CHECKPOINT_RESTORE).union(CapabilitySet.ofNumbers(45));
        assertEquals("bounding: CAP_BPF (39), CAP_CHECKPOINT_RESTORE (40), capability 45 are not supported by this kernel,"
                        + " whose last capability is 38",
                assertThrows(CapabilityException.class, () -> kernel.requireSupported(set, "bounding")).getMessage());
        CapabilitySet supported = CapabilitySet.of(Capability.CAP_KILL);
        assertEquals(supported, kernel.requireSupported(supported, "bounding"));
    }
}
