package org.sandboxrunner.tests.grading;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.tests.escape.HostProcesses;

/**
 * A root runner with a host work directory gives the run an overlay with a tmpfs upper layer of up to
 * the box size (issue 10). No mount of the run may ever be attached in the host's mount namespace,
 * so that a runner killed with SIGKILL mid-run (nothing left to unmount anything) leaves none behind:
 * the box is handed to the sandbox as a detached mount, and the kernel frees it with the run's mount
 * namespace and the runner's descriptors (issue 6: a killed runner leaves nothing).
 */
class KilledRunnerBoxTest {
    private static final long FILL_BYTES = 8L << 20;

    @Test
    void aRunnerKilledMidRunLeavesNoMountOfItsBoxOnTheHost(@TempDir Path work) throws Exception {
        String marker = "killed-box-" + UUID.randomUUID();
        String filled = marker + "-filled";
        // The workload writes FILL_BYTES and a file named after the marker to /box, then becomes a
        // process whose command line carries "MARKER-filled" (the outer script's text carries only
        // "$m-filled"), so the test knows the box holds them before it kills the runner.
        String script = "m=" + marker + "; head -c " + FILL_BYTES + " /dev/zero > /box/fill && : > /box/$m"
                + " && exec /bin/sh -c \"sleep 1000; : $m-filled\"";
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process runner = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "org.sandboxrunner.core.cli.Main", "run", "--workdir", work.toString(), "--", "/bin/sh", "-c", script)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + 20_000_000_000L;
            List<String> workload = HostProcesses.carrying(filled);
            while (workload.isEmpty()) {
                assertTrue(runner.isAlive(), "the runner ended before the workload filled its box");
                assertTrue(System.nanoTime() < deadline, "the workload never filled its box");
                Thread.sleep(20);
                workload = HostProcesses.carrying(filled);
            }
            String pid = workload.get(0).substring(0, workload.get(0).indexOf(':'));
            // The control: the run's own view has the box with what it wrote ...
            Path box = Path.of("/proc", pid, "root", "box");
            assertTrue(Files.exists(box.resolve(marker)), "the run's /box should hold " + marker);
            assertEquals(FILL_BYTES, Files.size(box.resolve("fill")));
            // ... and the host's mount table has none of it, even while the run lasts.
            List<String> whileRunning = hostMountsOf(marker);

            runner.destroyForcibly(); // SIGKILL: no code of the runner runs after this
            runner.waitFor();
            deadline = System.nanoTime() + 2_000_000_000L;
            while (!HostProcesses.carrying(marker).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            List<String> afterKill = hostMountsOf(marker);
            List<Path> mountPoints = under(Path.of("/run/sandbox-runner/box")).stream()
                    .filter(p -> Files.exists(p.resolve(marker))).toList();
            assertAll(
                    () -> assertEquals(List.of(), whileRunning, "a mount of the running box is attached on the host"),
                    () -> assertEquals(List.of(), HostProcesses.carrying(marker), "processes of the run survived the runner"),
                    () -> assertEquals(List.of(), afterKill, "the killed runner's box is still mounted on the host"),
                    () -> assertEquals(List.of(), mountPoints, "a box mount point of the run is left"));
        } finally {
            runner.destroyForcibly();
            HostProcesses.killCarrying(marker);
        }
        try (var files = Files.list(work)) {
            assertEquals(List.of(), files.toList(), "a killed run copies nothing back to the work directory");
        }
    }

    /**
     * The host's mounts (this JVM is in the host's mount namespace) that are the run's box: any overlay,
     * any tmpfs, and anything under /run/sandbox-runner/box whose root holds the file the run wrote.
     * Other runs on this machine may have mounts of their own; only the marker makes one this run's.
     */
    private static List<String> hostMountsOf(String marker) throws IOException {
        List<String> found = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            // mountinfo(5): ID PARENT MAJ:MIN ROOT MOUNT-POINT OPTIONS [TAGS] - TYPE SOURCE SUPER-OPTIONS
            String[] f = line.split(" ");
            String type = f[List.of(f).indexOf("-") + 1];
            String point = unescape(f[4]);
            boolean candidate = type.equals("overlay") || type.equals("tmpfs") || point.startsWith("/run/sandbox-runner/box");
            if (candidate && Files.exists(Path.of(point, marker))) {
                found.add(line);
            }
        }
        return found;
    }

    private static List<Path> under(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var entries = Files.list(dir)) {
            return entries.toList();
        }
    }

    /** mountinfo escapes space, tab, newline and backslash as octal (\040 ...). */
    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\\' && i + 3 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(s.charAt(i));
            }
        }
        return b.toString();
    }
}
