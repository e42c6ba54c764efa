package org.sandboxrunner.capabilities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcLimitsTest {

    private static ProcLimits fixture(String name) {
        return ProcLimits.parse(Fixtures.proc(name), name);
    }

    private static ProcLimits.Row row(Rlimit resource, String soft, String hard) {
        return new ProcLimits.Row(resource, RlimitValue.parse(soft), RlimitValue.parse(hard));
    }

    @Test
    void everyRowOfThisMachinesLimits() {
        assertEquals(List.of(
                row(Rlimit.CPU, "unlimited", "unlimited"),
                row(Rlimit.FSIZE, "unlimited", "unlimited"),
                row(Rlimit.DATA, "unlimited", "unlimited"),
                row(Rlimit.STACK, "8388608", "unlimited"),
                row(Rlimit.CORE, "0", "unlimited"),
                row(Rlimit.RSS, "unlimited", "unlimited"),
                row(Rlimit.NPROC, "96364", "96364"),
                row(Rlimit.NOFILE, "20000", "20000"),
                row(Rlimit.MEMLOCK, "8388608", "8388608"),
                row(Rlimit.AS, "unlimited", "unlimited"),
                row(Rlimit.LOCKS, "unlimited", "unlimited"),
                row(Rlimit.SIGPENDING, "96364", "96364"),
                row(Rlimit.MSGQUEUE, "819200", "819200"),
                row(Rlimit.NICE, "0", "0"),
                row(Rlimit.RTPRIO, "0", "0"),
                row(Rlimit.RTTIME, "unlimited", "unlimited")), fixture("limits-root.txt").rows());
    }

    @Test
    void limitsSetByPrlimit() {
        ProcLimits limits = fixture("limits-prlimit.txt");
        assertEquals(row(Rlimit.NOFILE, "64", "128"), limits.get(Rlimit.NOFILE));
        assertEquals(row(Rlimit.AS, "1073741824", "unlimited"), limits.get(Rlimit.AS));
        assertEquals(row(Rlimit.CPU, "5", "6"), limits.get(Rlimit.CPU));
        assertEquals(row(Rlimit.CORE, "0", "0"), limits.get(Rlimit.CORE));
        assertEquals(row(Rlimit.NPROC, "50", "50"), limits.get(Rlimit.NPROC));
        assertEquals(RlimitValue.UNLIMITED, limits.get(Rlimit.STACK).soft());
        assertEquals("Max open files", limits.get(Rlimit.NOFILE).name());
        assertEquals("files", limits.get(Rlimit.NOFILE).units());
        assertEquals("", limits.get(Rlimit.NICE).units());
    }

    @Test
    void aMissingHeaderIsRefused() {
        String text = Fixtures.proc("limits-root.txt");
        assertEquals("limits line 1: expected the header \"Limit Soft Limit Hard Limit Units\"",
                malformed(text.substring(text.indexOf('\n') + 1)));
        assertEquals("limits line 1: expected the header \"Limit Soft Limit Hard Limit Units\"", malformed(""));
    }

    @Test
    void everyResourceMustAppearOnce() {
        String text = Fixtures.proc("limits-root.txt");
        assertEquals("limits: the row \"Max realtime timeout\" is missing", malformed(text.replaceAll("(?m)^Max realtime timeout.*\n", "")));
        String cpu = text.lines().filter(l -> l.startsWith("Max cpu time")).findFirst().orElseThrow();
        assertEquals("limits line 18: Max cpu time appears twice", malformed(text + cpu + "\n"));
        assertEquals("limits line 18: unknown limit row \"Max foo bar    1    1    foos\"", malformed(text + "Max foo bar    1    1    foos\n"));
    }

    @Test
    void malformedRowsNameTheLine() {
        String text = Fixtures.proc("limits-root.txt");
        assertEquals("limits line 9 (Max open files): expected soft limit, hard limit and units \"files\", got \"20000 20000 bytes\"",
                malformed(text.replace("20000                20000                files", "20000 20000 bytes")));
        assertEquals("limits line 15 (Max nice priority): expected soft limit, hard limit and no units, got \"0 0 x\"",
                malformed(text.replace("Max nice priority         0                    0", "Max nice priority         0 0 x")));
        assertEquals("limits line 9 (Max open files): \"20k\" is neither \"unlimited\" nor a decimal number",
                malformed(text.replace("20000                20000", "20k                  20000")));
        assertEquals("limits line 9 (Max open files): expected soft limit, hard limit and units \"files\", got \"20000\"",
                malformed(text.replace("20000                20000                files", "20000")));
    }

    private static String malformed(String text) {
        return assertThrows(ProcFormatException.class, () -> ProcLimits.parse(text, "limits")).getMessage();
    }

    @Test
    void rowsMustBeOnePerResourceInOrder() {
        List<ProcLimits.Row> rows = fixture("limits-root.txt").rows();
        assertEquals("expected 16 rows, one per resource, got 15",
                assertThrows(IllegalArgumentException.class, () -> new ProcLimits(rows.subList(1, 16))).getMessage());
        ProcLimits.Row[] swapped = rows.toArray(ProcLimits.Row[]::new);
        swapped[0] = rows.get(1);
        swapped[1] = rows.get(0);
        assertEquals("row 0 is RLIMIT_FSIZE, expected RLIMIT_CPU: rows go in resource-number order",
                assertThrows(IllegalArgumentException.class, () -> new ProcLimits(Arrays.asList(swapped))).getMessage());
    }

    /** The test JVM's own limits, read live, against prlimit(1)'s reading of them (prlimit(2) on our pid). */
    @Test
    void theLiveLimitsOfThisJvmAreWhatPrlimitSees() throws Exception {
        ProcLimits limits = ProcLimits.readSelf();
        long pid = ProcessHandle.current().pid();
        assertEquals(limits, ProcLimits.read(Path.of("/proc/" + pid + "/limits")));
        String prlimit = Commands.run("prlimit", "--pid", Long.toString(pid), "--raw", "--noheadings", "--output", "RESOURCE,SOFT,HARD");
        List<String> lines = prlimit.lines().toList();
        assertEquals(Rlimit.values().length, lines.size(), prlimit);
        for (String line : lines) {
            String[] columns = line.strip().split(" +");
            ProcLimits.Row row = limits.get(Rlimit.fromResourceName("RLIMIT_" + columns[0]));
            assertEquals(columns[1], row.soft().toString(), line);
            assertEquals(columns[2], row.hard().toString(), line);
        }
    }
}
