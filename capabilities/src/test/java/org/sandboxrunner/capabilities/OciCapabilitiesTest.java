package org.sandboxrunner.capabilities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class OciCapabilitiesTest {
    private static final KernelCapabilities KERNEL_40 = KernelCapabilities.parse("40\n");

    @Test
    void parsesAnOciList() {
        assertEquals(CapabilitySet.of(Capability.CAP_KILL, Capability.CAP_NET_BIND_SERVICE),
                OciCapabilities.parse(List.of("CAP_NET_BIND_SERVICE", "CAP_KILL"), KERNEL_40, "process.capabilities.bounding"));
        assertEquals(CapabilitySet.of(Capability.CAP_KILL),
                OciCapabilities.parse(List.of("cap_kill"), KERNEL_40, "process.capabilities.bounding"));
        assertEquals(CapabilitySet.EMPTY, OciCapabilities.parse(List.of(), KERNEL_40, "process.capabilities.bounding"));
    }

    @Test
    void anUnknownNameIsNamedWithItsIndex() {
        String message = assertThrows(CapabilityException.class, () -> OciCapabilities.parse(
                List.of("CAP_KILL", "CAP_SYS_ADMN"), KERNEL_40, "process.capabilities.ambient")).getMessage();
        assertEquals("process.capabilities.ambient[1]: unknown capability \"CAP_SYS_ADMN\" (did you mean CAP_SYS_ADMIN?)", message);
    }

    @Test
    void aNameTheKernelLacksIsRefused() {
        String message = assertThrows(CapabilityException.class, () -> OciCapabilities.parse(
                List.of("CAP_BPF"), KernelCapabilities.parse("38"), "process.capabilities.permitted")).getMessage();
        assertEquals("process.capabilities.permitted[0]: CAP_BPF (39) is not supported by this kernel, whose last capability is 38",
                message);
    }

    @Test
    void aRepeatedNameIsRefused() {
        String message = assertThrows(CapabilityException.class, () -> OciCapabilities.parse(
                List.of("CAP_KILL", "CAP_CHOWN", "cap_kill"), KERNEL_40, "process.capabilities.effective")).getMessage();
        assertEquals("process.capabilities.effective[2]: \"cap_kill\" repeats an earlier entry", message);
    }

    @Property
    void namesRoundTrip(@ForAll @LongRange(min = 0, max = (1L << 41) - 1) long bits) {
        CapabilitySet set = new CapabilitySet(bits);
        assertEquals(set, OciCapabilities.parse(set.names(), KERNEL_40, "list"));
    }
}
