package org.sandboxrunner.capabilities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.security.auth.module.UnixSystem;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ProcStatusTest {
    private static final CapabilitySet ROOT_HERE = new CapabilitySet(0x1fffeffffffL);

    private static ProcStatus fixture(String name) {
        return ProcStatus.parse(Fixtures.proc(name), name);
    }

    @Test
    void rootWithTheMachinesCapabilities() {
        ProcStatus status = fixture("status-root.txt");
        assertEquals(new CapabilitySets(ROOT_HERE, ROOT_HERE, ROOT_HERE, CapabilitySet.EMPTY, CapabilitySet.EMPTY), status.capabilities());
        assertFalse(status.noNewPrivs());
        assertEquals(SeccompMode.DISABLED, status.seccomp());
        assertEquals(OptionalInt.of(0), status.seccompFilters());
        assertEquals(ProcessIds.all(0), status.uids());
        assertEquals(ProcessIds.all(0), status.gids());
        assertEquals(List.of(), status.groups());
        assertEquals(0022, status.umask());
    }

    @Test
    void nobodyWithOneAmbientCapability() {
        ProcStatus status = fixture("status-ambient.txt");
        CapabilitySet netBind = CapabilitySet.of(Capability.CAP_NET_BIND_SERVICE);
        assertEquals(new CapabilitySets(ROOT_HERE, netBind, netBind, netBind, netBind), status.capabilities());
        assertEquals(ProcessIds.all(65534), status.uids());
        assertEquals(ProcessIds.all(65534), status.gids());
        assertEquals(List.of(4L, 24L, 27L), status.groups());
    }

    @Test
    void seccompFilterModeWithNoNewPrivs() {
        ProcStatus status = fixture("status-seccomp.txt");
        assertEquals(CapabilitySets.NONE, status.capabilities());
        assertTrue(status.noNewPrivs());
        assertEquals(SeccompMode.FILTER, status.seccomp());
        assertEquals(OptionalInt.of(2), status.seccompFilters());
        assertEquals(List.of(), status.groups());
    }

    @Test
    void idsComeInTheOrderRealEffectiveSavedFilesystem() {
        ProcStatus status = fixture("status-distinct-ids.txt");
        assertEquals(new ProcessIds(1000, 1001, 1002, 1003), status.uids());
        assertEquals(new ProcessIds(2000, 2001, 2002, 2003), status.gids());
        assertEquals(List.of(10L, 20L, 4_000_000_000L), status.groups());
        assertEquals(0027, status.umask());
    }

    @Test
    void seccompFiltersIsOptionalForKernelsBefore59() {
        String text = Fixtures.proc("status-root.txt").replaceAll("(?m)^Seccomp_filters:.*\n", "");
        assertEquals(OptionalInt.empty(), ProcStatus.parse(text, "old").seccompFilters());
    }

    @Test
    void aMissingFieldIsNamed() {
        String text = Fixtures.proc("status-root.txt").replaceAll("(?m)^CapAmb:.*\n", "");
        assertEquals("status: field CapAmb is missing",
                assertThrows(ProcFormatException.class, () -> ProcStatus.parse(text, "status")).getMessage());
    }

    @Test
    void aRepeatedFieldIsNamedWithBothLines() {
        String text = "CapEff:\t0000000000000000\nCapEff:\t0000000000000001\n";
        assertEquals("status line 2: field CapEff repeats line 1",
                assertThrows(ProcFormatException.class, () -> ProcStatus.parse(text, "status")).getMessage());
    }

    @Test
    void aLineWithoutAColonIsRefused() {
        assertEquals("status line 2: expected \"Name:<tab>value\", got \"garbage\"",
                assertThrows(ProcFormatException.class, () -> ProcStatus.parse("Name:\tcat\ngarbage\n", "status")).getMessage());
    }

    @Test
    void malformedValuesNameTheLineAndField() {
        String root = Fixtures.proc("status-root.txt");
        int capEffLine = Arrays.asList(root.split("\n")).indexOf("CapEff:\t000001fffeffffff") + 1;
        assertEquals("status line " + capEffLine + " (CapEff): \"1fffeffffff\": \"1fffeffffff\" is not a capability bitmap:"
                        + " expected 16 hex digits as /proc/PID/status shows them, e.g. 000001ffffffffff",
                malformed(root.replace("CapEff:\t000001fffeffffff", "CapEff:\t1fffeffffff")));
        assertTrue(malformed(root.replace("NoNewPrivs:\t0", "NoNewPrivs:\t2")).endsWith("(NoNewPrivs): \"2\": expected 0 or 1"));
        assertTrue(malformed(root.replace("Seccomp:\t0", "Seccomp:\t3"))
                .endsWith("(Seccomp): \"3\": expected 0 (disabled), 1 (strict) or 2 (filter)"));
        assertTrue(malformed(root.replace("Uid:\t0\t0\t0\t0", "Uid:\t0\t0\t0"))
                .endsWith("(Uid): \"0\t0\t0\": expected four tab-separated ids: real, effective, saved, filesystem"));
        assertTrue(malformed(root.replace("Gid:\t0\t0\t0\t0", "Gid:\t0\t0\t0\t4294967296"))
                .endsWith("(Gid): \"0\t0\t0\t4294967296\": filesystem id 4294967296 is outside 0..4294967295"));
        assertTrue(malformed(root.replace("Groups:\t", "Groups:\t-5")).endsWith("(Groups): \"-5 \": supplementary group id -5 is outside 0..4294967295"));
        assertTrue(malformed(root.replace("Umask:\t0022", "Umask:\t22")).endsWith("(Umask): \"22\": expected four octal digits, e.g. 0022"));
    }

    private static String malformed(String text) {
        return assertThrows(ProcFormatException.class, () -> ProcStatus.parse(text, "status")).getMessage();
    }

    /** The test JVM's own status, read live, against what other tools and the JDK say about this process. */
    @Test
    void theLiveStatusOfThisJvm() throws Exception {
        ProcStatus status = ProcStatus.readSelf();
        long pid = ProcessHandle.current().pid();
        assertEquals(status, ProcStatus.read(Path.of("/proc/" + pid + "/status")));

        UnixSystem unix = new UnixSystem();
        assertEquals(unix.getUid(), status.uids().real());
        assertEquals(unix.getGid(), status.gids().real());
        assertEquals(Arrays.stream(unix.getGroups()).sorted().boxed().toList(), status.groups().stream().sorted().toList());

        // getpcaps reads the JVM's sets with capget(2) and prints libcap's text: "PID: =ep cap_sys_resource-ep".
        KernelCapabilities kernel = KernelCapabilities.read();
        String getpcaps = Commands.line(Commands.run("getpcaps", Long.toString(pid)), pid + ": ");
        assertEquals(CapabilityText.parse(getpcaps, kernel), status.capabilities().capset());

        // A child inherits bounding, ambient (capsh has no file capabilities), no_new_privs and the umask.
        CapshState child = CapshState.parse(Commands.run("capsh", "--print"), kernel);
        assertEquals(status.capabilities().bounding(), child.sets().bounding());
        assertEquals(status.capabilities().ambient(), child.sets().ambient());
        assertEquals(status.noNewPrivs(), child.noNewPrivs());
        assertEquals(String.format("%04o", status.umask()), Commands.run("sh", "-c", "umask").strip());

        assertEquals(status.seccomp() == SeccompMode.FILTER, status.seccompFilters().orElse(0) > 0);
    }
}
