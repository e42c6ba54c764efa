package org.sandboxrunner.core.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.LowerChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The parsers of /proc and cgroupfs text, on texts copied from real hosts. */
class ProcFileParsersTest {
    private static final Path FILE = Path.of("/sys/fs/cgroup/x/file");

    @Test
    void mountinfoGivesRootMountPointTypeAndSuperOptions() throws CgroupException {
        List<MountEntry> entries = MountEntry.parseAll("""
                31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
                36 31 0:31 /docker/ab /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:15 master:3 - cgroup cgroup rw,cpu,cpuacct
                25 24 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:8 - cgroup2 cgroup2 rw,nsdelegate
                90 26 0:50 / /mnt/with\\040space\\134x rw - tmpfs none rw
                """);
        assertEquals(new MountEntry("/", "/sys/fs/cgroup/cpu", "cgroup", List.of("rw", "cpu")), entries.get(0));
        assertEquals(new MountEntry("/docker/ab", "/sys/fs/cgroup/cpu,cpuacct", "cgroup", List.of("rw", "cpu", "cpuacct")),
                entries.get(1));
        assertEquals("cgroup2", entries.get(2).fsType());
        assertEquals("/mnt/with space\\x", entries.get(3).mountPoint());
    }

    @Test
    void mountinfoRefusesAMalformedLineByNumber() {
        CgroupException e = assertThrows(CgroupException.class,
                () -> MountEntry.parseAll("21 26 0:20 / /proc rw,relatime - proc proc rw\n31 30 0:28 / /x rw cgroup\n"));
        assertTrue(e.getMessage().contains("mountinfo line 2 is malformed"), e.getMessage());
    }

    @Test
    void procCgroupGivesHierarchiesAndTheUnifiedLine() throws CgroupException {
        List<ProcCgroupEntry> entries = ProcCgroupEntry.parseAll("""
                4:cpu,cpuacct:/user.slice
                1:name=systemd:/user.slice/session-2.scope
                0::/odd:name/with:colons
                """);
        assertEquals(new ProcCgroupEntry(4, List.of("cpu", "cpuacct"), "/user.slice"), entries.get(0));
        assertEquals(List.of("name=systemd"), entries.get(1).controllers());
        assertTrue(entries.get(2).isUnified());
        assertEquals("/odd:name/with:colons", entries.get(2).path());
        assertThrows(CgroupException.class, () -> ProcCgroupEntry.parseAll("x:memory:/\n"));
        assertThrows(CgroupException.class, () -> ProcCgroupEntry.parseAll("4:memory\n"));
    }

    @Test
    void procStatStartTimeSurvivesHostileCommandNames() throws CgroupException {
        String rest = " S 1 4242 4242 0 -1 4194560 9000 0 0 0 120 30 0 0 20 0 30 0 987654 5000000000 60000";
        assertEquals(new ProcessIdentity(4242, 987654), ProcessIdentity.parseStat(FILE, "4242 (java)" + rest));
        assertEquals(new ProcessIdentity(7, 987654), ProcessIdentity.parseStat(FILE, "7 (a) b) (c ) 1 2)" + rest));
        CgroupException e = assertThrows(CgroupException.class, () -> ProcessIdentity.parseStat(FILE, "7 (x) S 1 2 3"));
        assertTrue(e.getMessage().contains("starttime is field 22"), e.getMessage());
    }

    @Test
    void leafNamesEncodeTheirOwner() {
        LeafName name = new LeafName("run", new ProcessIdentity(4242, 987654), 17);
        assertEquals("run-4242-987654-17", name.toString());
        assertEquals(Optional.of(name), LeafName.parse("run-4242-987654-17"));
        for (String foreign : List.of("run-1-2", "Run-1-2-3", "run-0-2-3", "run-1-2-3-4", "judge.slice", "run-99999999999999999999-1-1")) {
            assertEquals(Optional.empty(), LeafName.parse(foreign), foreign);
        }
        assertThrows(IllegalArgumentException.class, () -> LeafName.requireLabel("run-1"));
        assertThrows(IllegalArgumentException.class, () -> LeafName.requireLabel("9run"));
    }

    @Property
    void leafNamesRoundTrip(@ForAll @StringLength(max = 15) @LowerChars @NumericChars String suffix,
                            @ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long pid,
                            @ForAll @LongRange(min = 0) long start, @ForAll @LongRange(min = 0) long seq) {
        LeafName name = new LeafName("s" + suffix, new ProcessIdentity(pid, start), seq);
        assertEquals(Optional.of(name), LeafName.parse(name.toString()));
    }

    @Test
    void flatKeyedFiles() throws CgroupException {
        KeyedValues stat = KeyedValues.parse(FILE, "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n");
        assertEquals(1500, stat.require("usage_usec"));
        assertEquals(OptionalLong.empty(), stat.find("core_sched.force_idle_usec"));
        CgroupException missing = assertThrows(CgroupException.class, () -> stat.require("oom_kill"));
        assertTrue(missing.getMessage().contains("has no 'oom_kill' line"), missing.getMessage());
        assertThrows(CgroupException.class, () -> KeyedValues.parse(FILE, "oom_kill one\n"));
        assertThrows(CgroupException.class, () -> KeyedValues.parse(FILE, "a 1\na 2\n"));
        assertThrows(CgroupException.class, () -> KeyedValues.parse(FILE, "a 1 2\n"));
    }

    @Test
    void cpuUsageFilesInBothFormats() throws CgroupException {
        assertEquals(1_234_567_890L,
                new CpuUsageFile(FILE, CpuUsageFile.Format.NANOSECONDS).parseNanos("1234567890\n"));
        assertEquals(1_500_000L,
                new CpuUsageFile(FILE, CpuUsageFile.Format.CPU_STAT).parseNanos("usage_usec 1500\nuser_usec 1000\n"));
        assertThrows(CgroupException.class, () -> new CpuUsageFile(FILE, CpuUsageFile.Format.NANOSECONDS).parseNanos("x\n"));
        assertThrows(CgroupException.class, () -> new CpuUsageFile(FILE, CpuUsageFile.Format.NANOSECONDS).parseNanos("-5\n"));
        assertThrows(CgroupException.class,
                () -> new CpuUsageFile(FILE, CpuUsageFile.Format.CPU_STAT).parseNanos("user_usec 1\n"));
    }
}
