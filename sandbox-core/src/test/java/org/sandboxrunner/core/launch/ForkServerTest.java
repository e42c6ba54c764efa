package org.sandboxrunner.core.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.core.nativeio.Fd;
import org.sandboxrunner.core.nativeio.Pipe;
import org.sandboxrunner.core.nativeio.Posix;

/** The native stage's fork server (server.c) and the launcher's pool of them, on the real helper. */
class ForkServerTest {
    private static final Path HELPER = HelperBinary.verified();

    @TempDir
    Path tmp;

    /**
     * While the helper waits for its plan, its descriptors are exactly the numbers asked for,
     * gaps included (no server socket, no descriptor of an earlier launch); a plan it cannot parse is
     * reported and gives exit status 125.
     */
    @Test
    void eachHelperGetsExactlyItsDescriptorsAndNothingOfEarlierLaunches() throws Exception {
        try (ForkServer server = ForkServer.start(HELPER); Fd devNull = Posix.openRead("/dev/null")) {
            for (int launch = 0; launch < 3; launch++) {
                try (Pipe plan = Posix.pipe(); Pipe report = Posix.pipe(); Pipe lifeline = Posix.pipe();
                        Fd extra = Posix.openRead("/etc/hostname")) {
                    assertTrue(server.startHelper(Map.of(0, devNull, 1, devNull, 2, devNull, 3, plan.readEnd(),
                            4, report.writeEnd(), 5, lifeline.readEnd(), 8, extra)));
                    plan.readEnd().close();
                    report.writeEnd().close();
                    long helper = onlyChild(server.pid());
                    Set<Integer> expected = new TreeSet<>(List.of(0, 1, 2, 3, 4, 5, 8));
                    assertEquals(expected, descriptors(helper, expected), "launch " + launch);
                    Posix.writeAll(plan.writeEnd(), "not a plan".getBytes(StandardCharsets.US_ASCII));
                    plan.writeEnd().close();
                    assertTrue(readAll(report.readEnd()).startsWith("fail plan "), "the helper reports the bad plan");
                    assertEquals(125, server.awaitStatus() >> 8);
                }
            }
        }
    }

    @Test
    void aMalformedRequestIsRefusedAndTheServerServesOn() throws Exception {
        try (ForkServer server = ForkServer.start(HELPER); Fd devNull = Posix.openRead("/dev/null")) {
            // Says two descriptors, carries one.
            byte[] bad = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder()).putInt(2).putInt(0).putInt(1).array();
            assertTrue(server.send(bad, List.of(devNull)));
            IllegalStateException e = assertThrows(IllegalStateException.class, server::awaitStatus);
            assertTrue(e.getMessage().contains("could not start the helper: Invalid argument (errno 22)"), e.getMessage());
            // The same target twice.
            byte[] twice = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder()).putInt(2).putInt(4).putInt(4).array();
            assertTrue(server.send(twice, List.of(devNull, devNull)));
            assertThrows(IllegalStateException.class, server::awaitStatus);
            try (Pipe plan = Posix.pipe(); Pipe report = Posix.pipe(); Pipe lifeline = Posix.pipe()) {
                assertTrue(server.startHelper(Map.of(0, devNull, 1, devNull, 2, devNull, 3, plan.readEnd(),
                        4, report.writeEnd(), 5, lifeline.readEnd())));
                plan.close();
                report.writeEnd().close();
                assertTrue(readAll(report.readEnd()).startsWith("fail plan "));
                assertEquals(125, server.awaitStatus() >> 8);
            }
        }
    }

    /**
     * Runs reuse one server; a server killed between runs is replaced without failing the run; closing
     * the launcher ends the server, which leaves no process behind.
     */
    @Test
    void theLauncherReusesReplacesAndEndsItsServers() throws Exception {
        Path box = Files.createDirectory(tmp.resolve("box"));
        Files.setPosixFilePermissions(box, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        LaunchPlan plan = NativeLauncherSmokeTest.plan(box, List.of("/bin/true"));
        NativeLauncher launcher = new NativeLauncher(HELPER);
        List<Integer> servers = new ArrayList<>();
        try (Fd in = Posix.openRead("/dev/null"); Fd out = Posix.openWrite("/dev/null", true)) {
            for (int run = 0; run < 4; run++) {
                LaunchReport r = launcher.launch(plan, new Stdio(in, out, out));
                assertEquals(0, r.exit().orElseThrow().exitCode(), r.toString());
                List<Integer> idle = launcher.idleServerPids();
                assertEquals(1, idle.size(), "one server for sequential runs");
                servers.add(idle.get(0));
                if (run == 1) {
                    killAndAwaitDeath(idle.get(0));
                }
            }
        } finally {
            launcher.close();
        }
        assertEquals(servers.get(0), servers.get(1), "the second run reused the first run's server");
        assertNotEquals(servers.get(1), servers.get(2), "the killed server was replaced");
        assertEquals(servers.get(2), servers.get(3));
        assertEquals(List.of(), launcher.idleServerPids());
        assertFalse(ProcessHandle.of(servers.get(3)).isPresent(), "the closed launcher's server is gone");
        assertEquals(List.of(), ProcessHandle.current().children().filter(p -> servers.contains((int) p.pid())).toList());
    }

    /**
     * Helpers run in their server's memory (server.c): the plan (command line, environment) and the
     * workload's relayed output must be scrubbed when the launch ends, so a later run's helper and init
     * (which starts as a copy of that memory) hold nothing of it. Read from the server's writable
     * mappings through /proc/PID/mem after a run that carries a marker in both.
     */
    @Test
    void nothingOfARunStaysInItsServersMemory() throws Exception {
        Path box = Files.createDirectory(tmp.resolve("box"));
        Files.setPosixFilePermissions(box, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        String env = "ENV-MARK-" + java.util.UUID.randomUUID(), out = "OUT-MARK-" + java.util.UUID.randomUUID();
        LaunchPlan plan = NativeLauncherSmokeTest.plan(box, List.of("/bin/sh", "-c", "echo " + out),
                List.of("PATH=/usr/bin:/bin", "SECRET=" + env));
        Path captured = tmp.resolve("out");
        try (NativeLauncher launcher = new NativeLauncher(HELPER); Fd in = Posix.openRead("/dev/null");
                Fd o = Posix.openWrite(captured.toString(), false); Fd e = Posix.openWrite("/dev/null", true)) {
            LaunchReport r = launcher.launch(plan, new Stdio(in, o, e));
            assertEquals(0, r.exit().orElseThrow().exitCode(), r.toString());
            assertEquals(out + "\n", Files.readString(captured), "the marker went through the relay");
            byte[] memory = writableMemory(launcher.idleServerPids().get(0));
            assertTrue(memory.length > 0);
            String text = new String(memory, StandardCharsets.ISO_8859_1);
            assertFalse(text.contains(env), "the plan's environment stayed in the server's memory");
            assertFalse(text.contains(out), "the workload's output stayed in the server's memory");
            assertTrue(text.contains("sandbox-helper") || text.contains("/proc/"), "the scan reads the server's memory");

            // A command that cannot be executed is named in the init's failure line, which the helper relays.
            String missing = "/box/MISSING-MARK-" + java.util.UUID.randomUUID();
            LaunchReport failed = launcher.launch(NativeLauncherSmokeTest.plan(box, List.of(missing)), new Stdio(in, o, e));
            assertTrue(failed.failure().isPresent() && failed.failure().get().toString().contains(missing), failed.toString());
            String after = new String(writableMemory(launcher.idleServerPids().get(0)), StandardCharsets.ISO_8859_1);
            assertFalse(after.contains(missing), "the failed command's name stayed in the server's memory");
        }
    }

    /** The contents of every private writable mapping of a process (heap, data, bss, stacks). */
    private static byte[] writableMemory(int pid) throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        try (java.io.RandomAccessFile mem = new java.io.RandomAccessFile("/proc/" + pid + "/mem", "r")) {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/maps"))) {
                String[] f = line.split("\\s+");
                if (!f[1].startsWith("rw") || line.contains("[vvar") || line.contains("[vsyscall")) {
                    continue;
                }
                String[] range = f[0].split("-");
                long start = Long.parseUnsignedLong(range[0], 16), end = Long.parseUnsignedLong(range[1], 16);
                byte[] buf = new byte[(int) (end - start)];
                mem.seek(start);
                mem.readFully(buf);
                all.write(buf);
            }
        }
        return all.toByteArray();
    }

    /** SIGKILLs a server and waits until it is a zombie: dead, and left for its owner to reap. */
    private static void killAndAwaitDeath(int pid) throws IOException, InterruptedException {
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        Path stat = Path.of("/proc/" + pid + "/stat");
        for (int i = 0; i < 500; i++) {
            String s = Files.readString(stat);
            if (s.substring(s.lastIndexOf(')') + 2).startsWith("Z")) {
                return;
            }
            Thread.sleep(2);
        }
        throw new AssertionError("the server " + pid + " did not die");
    }

    private static long onlyChild(int pid) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            List<ProcessHandle> children = ProcessHandle.of(pid).orElseThrow().children().toList();
            if (children.size() == 1) {
                return children.get(0).pid();
            }
            Thread.sleep(2);
        }
        throw new AssertionError("the server " + pid + " did not start one helper");
    }

    /**
     * The helper's open descriptors once its placement is done: read until they are the expected set
     * (placement takes a few system calls), at most for a second. It then blocks reading its plan.
     */
    private static Set<Integer> descriptors(long pid, Set<Integer> expected) throws IOException, InterruptedException {
        Set<Integer> seen = Set.of();
        for (int i = 0; i < 500 && !seen.equals(expected); i++) {
            if (i > 0) {
                Thread.sleep(2);
            }
            try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                seen = new TreeSet<>(fds.map(p -> Integer.parseInt(p.getFileName().toString())).toList());
            }
        }
        return seen;
    }

    private static String readAll(Fd fd) {
        StringBuilder text = new StringBuilder();
        byte[] buf = new byte[4096];
        for (int n; (n = Posix.read(fd, buf)) > 0; ) {
            text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return text.toString();
    }
}
