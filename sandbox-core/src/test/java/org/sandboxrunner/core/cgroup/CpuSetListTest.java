package org.sandboxrunner.core.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class CpuSetListTest {

    @Test
    void parsesTheKernelListFormat() {
        assertEquals(List.of(0, 1, 2, 3, 8), CpuSetList.parse("0-3,8\n").ids());
        assertEquals(List.of(0, 1), CpuSetList.parse("1,0,1").ids());
        assertTrue(CpuSetList.parse("\n").isEmpty());
    }

    @Test
    void formatsCanonicalRanges() {
        assertEquals("0-3,8,10-11", CpuSetList.parse("8,0,1,2,3,10,11").format());
        assertEquals("5", CpuSetList.parse("5-5").format());
        assertEquals("", CpuSetList.parse("").format());
    }

    @Test
    void refusesWhatIsNotAList() {
        for (String bad : List.of("a", "1-", "-1", "3-1", "1,,2", "1 2", "99999999", "70000")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuSetList.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new CpuSetList(List.of(2, 1)));
        assertThrows(IllegalArgumentException.class, () -> new CpuSetList(List.of(-1)));
    }

    @Property
    void formatThenParseGivesTheSameSet(@ForAll @Size(max = 40) Set<@IntRange(min = 0, max = 300) Integer> ids) {
        CpuSetList list = new CpuSetList(List.copyOf(new TreeSet<>(ids)));
        assertEquals(list, CpuSetList.parse(list.format()));
    }
}
