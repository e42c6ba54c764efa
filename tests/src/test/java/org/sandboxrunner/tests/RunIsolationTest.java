package org.sandboxrunner.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sandboxrunner.tests.SandboxFixture.err;
import static org.sandboxrunner.tests.SandboxFixture.out;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.sandboxrunner.core.cgroup.Cgroups;
import org.sandboxrunner.core.run.ResolvedProfile;
import org.sandboxrunner.core.run.RunResult;
import org.sandboxrunner.core.run.Sandbox;
import org.sandboxrunner.core.run.Status;
import org.sandboxrunner.core.run.WorkerSlot;

/**
 * Two consecutive runs of the same Sandbox with the same request (no work directory, so the box is a
 * tmpfs too) share nothing: the first leaves behind all it can (files in /tmp and /box, a detached
 * process holding a listening socket, SysV shared memory, a message queue, a semaphore set, a POSIX
 * message queue, a large peak of memory, page cache charged to its cgroup) and the second finds none
 * of it. Both as two one-shot runs and as two runs in one worker slot, whose cgroup leaf is reused.
 */
class RunIsolationTest {

    /** What the second run looks at; the first run runs it too, after leaving its traces, to prove it sees them. */
    private static final String LOOK = String.join("\n",
            "echo $(ls -A /tmp) / $(ls -A /box)",
            "echo $(ps -e -o comm=)",
            "ipcs -m | grep -c '^0x' ; ipcs -q | grep -c '^0x'; ipcs -s | grep -c '^0x'",
            "python3 -c \"import ctypes, os; rt = ctypes.CDLL('librt.so.1', use_errno=True); "
                    + "fd = rt.mq_open(b'/leftover', os.O_RDONLY); print('mqueue', 'found' if fd >= 0 else 'none')\"",
            "python3 -c \"import socket; s = socket.socket(); print('port 7777', "
                    + "'open' if s.connect_ex(('127.0.0.1', 7777)) == 0 else 'closed')\"",
            "grep -c ' 0A ' /proc/net/tcp",
            "for n in user pid mnt ipc uts net cgroup; do readlink /proc/self/ns/$n; done | tr '\\n' ' '");

    private static final String LEAVE = String.join("\n",
            "touch /tmp/left-in-tmp /box/left-in-box",
            "ipcmk -M 4096 >/dev/null && ipcmk -Q >/dev/null && ipcmk -S 1 >/dev/null",
            "python3 -c \"import ctypes, os; rt = ctypes.CDLL('librt.so.1', use_errno=True); "
                    + "assert rt.mq_open(b'/leftover', os.O_CREAT | os.O_RDWR, 0o600, None) >= 0, os.strerror(ctypes.get_errno())\"",
            // A daemon: its own session, stdio closed, holding a listening socket; it would outlive a run that leaked it.
            "setsid python3 -c \"import socket, time; s = socket.socket(); s.bind(('127.0.0.1', 7777)); s.listen(); "
                    + "time.sleep(60)\" </dev/null >/dev/null 2>&1 &",
            "sleep 0.3",
            "python3 -c \"b = bytearray(96 << 20); b[::4096] = b'x' * len(b[::4096])\"",
            // Page cache of host files, charged to the run's cgroup; it outlives the run's processes.
            "cat /usr/lib/x86_64-linux-gnu/* 2>/dev/null | head -c 64M >/dev/null");

    @Test
    void theSecondRunFindsNothingOfTheFirst() throws Exception {
        String marker = "isolation-" + UUID.randomUUID();
        ResolvedProfile def = SandboxFixture.builtin("default");
        RunResult first, second;
        try (SandboxFixture fx = new SandboxFixture()) {
            first = fx.run(SandboxFixture.sh(def, LEAVE + "\n" + LOOK + "\n: " + marker));
            second = fx.run(SandboxFixture.sh(def, LOOK));
        }
        assertNothingShared(marker, first, second);
    }

    @Test
    void theSecondRunInTheSameWorkerSlotFindsNothingOfTheFirst() throws Exception {
        String marker = "isolation-slot-" + UUID.randomUUID();
        ResolvedProfile def = SandboxFixture.builtin("default");
        RunResult first, second;
        System.setProperty(Sandbox.REUSE_SLOT_CGROUPS, "true");
        try (SandboxFixture fx = new SandboxFixture(); WorkerSlot slot = fx.sandbox.openSlot()) {
            first = slot.run(SandboxFixture.sh(def, LEAVE + "\n" + LOOK + "\n: " + marker));
            List<Path> leaves = slotLeaves();
            second = slot.run(SandboxFixture.sh(def, LOOK));
            // cgroup v1 here: the slot keeps one leaf per hierarchy and the second run used it again.
            assertFalse(leaves.isEmpty(), "the worker slot keeps its cgroup leaf between runs");
            assertEquals(leaves, slotLeaves(), "the second run used the same leaf");
        } finally {
            System.clearProperty(Sandbox.REUSE_SLOT_CGROUPS);
        }
        assertEquals(List.of(), slotLeaves(), "closing the slot removes its leaf");
        assertNothingShared(marker, first, second);
    }

    /** This JVM's worker slot leaves, in every project parent. */
    private static List<Path> slotLeaves() throws Exception {
        String prefix = "slot-" + ProcessHandle.current().pid() + "-";
        List<Path> leaves = new ArrayList<>();
        for (Path parent : Cgroups.detect().projectParents()) {
            try (Stream<Path> children = Files.list(parent)) {
                children.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().forEach(leaves::add);
            }
        }
        return leaves;
    }

    private static void assertNothingShared(String marker, RunResult first, RunResult second) throws Exception {
        assertEquals(Status.OK, first.status(), first.message() + "\n" + err(first));
        assertEquals(Status.OK, second.status(), second.message() + "\n" + err(second));

        List<String> seen = out(first).lines().toList(), found = out(second).lines().toList();
        assertEquals(9, seen.size(), out(first));
        // The first run's own look proves the probes work: it sees what it left.
        assertEquals("left-in-tmp / left-in-box", seen.get(0), "files (first run)");
        assertTrue(seen.get(1).contains("python3"), "processes (first run): " + seen.get(1));
        assertEquals(List.of("1", "1", "1"), seen.subList(2, 5), "SysV IPC (first run)");
        assertEquals("mqueue found", seen.get(5));
        assertEquals("port 7777 open", seen.get(6));
        assertEquals("1", seen.get(7), "listening sockets (first run)");

        assertEquals(9, found.size(), out(second));
        assertEquals("/", found.get(0), "files in /tmp and /box");
        assertEquals("sandbox-helper sh ps", found.get(1), "processes: the init, the shell and ps");
        assertEquals(List.of("0", "0", "0"), found.subList(2, 5), "SysV shared memory, message queues, semaphores");
        assertEquals("mqueue none", found.get(5));
        assertEquals("port 7777 closed", found.get(6));
        assertEquals("0", found.get(7), "listening sockets");
        // nsfs numbers are reused once a namespace is freed, so two runs one after the other may show
        // the same number (the first run's namespaces are gone); each must differ from the host's.
        for (String ns : (seen.get(8) + " " + found.get(8)).trim().split(" +")) {
            String kind = ns.substring(0, ns.indexOf(':'));
            assertNotEquals(java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns", kind)).toString(), ns,
                    "a run shares the host's " + kind + " namespace");
        }

        // Nothing of the first run is left on the host either, and the second run's peak is its own.
        assertEquals(List.of(), HostProcesses.running("/bin/sh", "-c", LEAVE + "\n" + LOOK + "\n: " + marker));
        assertTrue(first.memoryPeakBytes() >= 96L << 20, "first run's peak " + first.memoryPeakBytes());
        assertTrue(second.memoryPeakBytes() < 32L << 20, "second run's peak " + second.memoryPeakBytes()
                + " includes the first's " + first.memoryPeakBytes());
    }
}
