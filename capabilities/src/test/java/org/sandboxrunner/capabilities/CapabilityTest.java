package org.sandboxrunner.capabilities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class CapabilityTest {

    @Test
    void namesAndNumbersAreThoseOfTheInstalledKernelHeader() throws Exception {
        Map<String, Integer> header = Headers.numericDefines("linux/capability.h", "CAP_");
        Map<String, Integer> ours = new LinkedHashMap<>();
        Arrays.stream(Capability.values()).forEach(c -> ours.put(c.ociName(), c.number()));
        assertEquals(header, ours);
        assertEquals(40, Capability.LAST_NAMED);
        assertEquals(41, Capability.values().length);
    }

    @Test
    void acceptsUpperLowerAndMixedCase() {
        assertEquals(Capability.CAP_NET_ADMIN, Capability.fromName("CAP_NET_ADMIN"));
        assertEquals(Capability.CAP_NET_ADMIN, Capability.fromName("cap_net_admin"));
        assertEquals(Capability.CAP_NET_ADMIN, Capability.fromName("Cap_Net_Admin"));
    }

    @Property
    void bothRenderingsNameTheSameCapability(@ForAll Capability capability) {
        assertEquals(capability, Capability.fromName(capability.ociName()));
        assertEquals(capability, Capability.fromName(capability.textName()));
        assertEquals(Optional.of(capability), Capability.fromNumber(capability.number()));
        assertEquals(1L << capability.number(), capability.mask());
    }

    @Test
    void renderingsAreUpperForOciAndLowerForText() {
        assertEquals("CAP_SYS_ADMIN", Capability.CAP_SYS_ADMIN.ociName());
        assertEquals("cap_sys_admin", Capability.CAP_SYS_ADMIN.textName());
        assertEquals(21, Capability.CAP_SYS_ADMIN.number());
        assertEquals(40, Capability.CAP_CHECKPOINT_RESTORE.number());
    }

    @Test
    void unnamedNumbersHaveNoCapability() {
        assertEquals(Optional.empty(), Capability.fromNumber(41));
        assertEquals(Optional.empty(), Capability.fromNumber(-1));
    }

    @Test
    void aMisspelledNameIsAnsweredWithTheClosestNames() {
        assertEquals("unknown capability \"CAP_NET_ADMN\" (did you mean CAP_NET_ADMIN?)",
                assertThrows(CapabilityException.class, () -> Capability.fromName("CAP_NET_ADMN")).getMessage());
        assertEquals("unknown capability \"cap_setxid\" (did you mean CAP_SETGID or CAP_SETUID?)",
                assertThrows(CapabilityException.class, () -> Capability.fromName("cap_setxid")).getMessage());
    }

    @Test
    void aNameWithoutItsPrefixIsRefusedWithTheFullName() {
        assertEquals("unknown capability \"NET_ADMIN\" (did you mean CAP_NET_ADMIN?)",
                assertThrows(CapabilityException.class, () -> Capability.fromName("NET_ADMIN")).getMessage());
    }

    @Test
    void aNameFarFromEveryCapabilityGetsNoGuess() {
        String message = assertThrows(CapabilityException.class, () -> Capability.fromName("CAP_EVERYTHING")).getMessage();
        assertEquals("unknown capability \"CAP_EVERYTHING\"; capabilities(7) lists the valid names", message);
        assertTrue(assertThrows(CapabilityException.class, () -> Capability.fromName(" CAP_KILL")).getMessage()
                .startsWith("unknown capability \" CAP_KILL\""), "the message quotes the name, stray space and all");
    }
}
