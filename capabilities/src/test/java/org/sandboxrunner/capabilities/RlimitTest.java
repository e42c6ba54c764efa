package org.sandboxrunner.capabilities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RlimitTest {

    @Test
    void numbersAreThoseOfTheInstalledGenericHeader() throws Exception {
        Map<String, Integer> header = Headers.numericDefines("asm-generic/resource.h", "RLIMIT_");
        Map<String, Integer> ours = new LinkedHashMap<>();
        Arrays.stream(Rlimit.values()).forEach(r -> ours.put(r.resourceName(), r.number()));
        assertEquals(header, ours);
        assertEquals(7, Rlimit.NOFILE.number());
        assertEquals("RLIMIT_NOFILE", Rlimit.NOFILE.resourceName());
    }

    @Test
    void resourceNamesResolveAndMisspellingsGetAHint() {
        assertEquals(Rlimit.NOFILE, Rlimit.fromResourceName("RLIMIT_NOFILE"));
        assertEquals("unknown resource limit \"RLIMIT_NFILE\" (did you mean RLIMIT_NOFILE?)",
                assertThrows(IllegalArgumentException.class, () -> Rlimit.fromResourceName("RLIMIT_NFILE")).getMessage());
        assertEquals("unknown resource limit \"NOFILE\" (did you mean RLIMIT_NOFILE?)",
                assertThrows(IllegalArgumentException.class, () -> Rlimit.fromResourceName("NOFILE")).getMessage());
    }

    @Test
    void unlimitedIsDistinctFromEveryFiniteValue() {
        assertTrue(RlimitValue.parse("unlimited").isUnlimited());
        assertEquals(RlimitValue.UNLIMITED, RlimitValue.parse("unlimited"));
        assertEquals(-1L, RlimitValue.UNLIMITED.raw());
        assertFalse(RlimitValue.parse("0").isUnlimited());
        assertNotEquals(RlimitValue.UNLIMITED, RlimitValue.of(Long.MAX_VALUE));
        assertEquals("18446744073709551614", RlimitValue.parse("18446744073709551614").toString());
        assertEquals("18446744073709551615 is RLIM_INFINITY; use RlimitValue.UNLIMITED",
                assertThrows(IllegalArgumentException.class, () -> RlimitValue.parse("18446744073709551615")).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "Unlimited", "infinity", "1e6", "18446744073709551616", " 5"})
    void otherTextIsRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> RlimitValue.parse(text));
    }

    @Property
    void textRoundTrips(@ForAll long raw) {
        RlimitValue value = new RlimitValue(raw);
        assertEquals(value, RlimitValue.parse(value.toString()));
    }
}
