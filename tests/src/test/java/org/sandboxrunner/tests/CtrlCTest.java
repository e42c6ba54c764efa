package org.sandboxrunner.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C at a terminal (issue 10): {@code bin/sandbox run -- /bin/sleep 100.N} runs under a real
 * pseudo-terminal (python3's pty module: the CLI is the session leader and the foreground process
 * group, as from an interactive shell), and ^C is typed into it. The terminal's line discipline sends
 * SIGINT to the foreground group (termios(3), ISIG). The CLI must exit promptly, the sleep (found by its
 * unique argument) must be gone, and so must the run's cgroup.
 */
class CtrlCTest {
    /** Starts COMMAND under a pty; when TRIGGER exists, types ^C; prints "exit CODE MS" after the child ends. */
    private static final String DRIVER = String.join("\n",
            "import os, pty, sys, time",
            "trigger, cmd = sys.argv[1], sys.argv[2:]",
            "pid, fd = pty.fork()",
            "if pid == 0:",
            "    os.execvp(cmd[0], cmd)",
            "while not os.path.exists(trigger):",
            "    time.sleep(0.01)",
            "start = time.monotonic()",
            "os.write(fd, b'\\x03')",
            "try:",
            "    while os.read(fd, 4096):",
            "        pass",
            "except OSError:",
            "    pass",  // EIO once the child closed its side
            "_, status = os.waitpid(pid, 0)",
            "print('exit', os.waitstatus_to_exitcode(status), int((time.monotonic() - start) * 1000), flush=True)");

    @TempDir
    Path tmp;

    @Test
    void ctrlCAtTheTerminalEndsTheRunAndEverythingInIt() throws Exception {
        String seconds = "100." + Math.abs(UUID.randomUUID().getMostSignificantBits() % 100000);
        Path top = Path.of("").toAbsolutePath().getParent();
        Path trigger = tmp.resolve("press-ctrl-c"), output = tmp.resolve("driver.out");
        ProcessBuilder pb = new ProcessBuilder("python3", "-c", DRIVER, trigger.toString(),
                top.resolve("bin/sandbox").toString(), "run", "--", "/bin/sleep", seconds)
                .redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().put("SANDBOX_CLASSPATH", System.getProperty("java.class.path"));
        Process driver = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<Long> sleeps;
            while ((sleeps = HostProcesses.running("/bin/sleep", seconds)).isEmpty()) {
                assertTrue(driver.isAlive(), "the CLI ended before the sleep started: " + Files.readString(output));
                assertTrue(System.nanoTime() < deadline, "the sleep never started: " + Files.readString(output));
                Thread.sleep(20);
            }
            Path cgroup = pidsCgroup(sleeps.get(0));
            assertTrue(Files.isDirectory(cgroup), "the run's cgroup " + cgroup);

            Files.createFile(trigger);
            assertTrue(driver.waitFor(20, TimeUnit.SECONDS), "the CLI did not end after ^C: " + Files.readString(output));
            String last = Files.readAllLines(output).stream().filter(l -> l.startsWith("exit ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no exit line: " + output));
            String[] f = last.split(" ");
            assertEquals(130, Integer.parseInt(f[1]), "128 + SIGINT, as a shell reports Ctrl-C: " + last);
            assertTrue(Long.parseLong(f[2]) < 3000, "the CLI took " + f[2] + " ms to end after ^C");
            assertEquals(List.of(), HostProcesses.awaitGone(1000, "/bin/sleep", seconds), "the sleep outlived the CLI");
            assertFalse(Files.exists(cgroup), "the run's cgroup " + cgroup + " was left behind; the CLI said: " + Files.readString(output));
        } finally {
            driver.destroyForcibly();
        }
    }

    /** The pids-controller cgroup of a host process, from /proc/PID/cgroup (cgroup v1, this machine). */
    private static Path pidsCgroup(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"))) {
            String[] f = line.split(":", 3);
            if (List.of(f[1].split(",")).contains("pids")) {
                return Path.of("/sys/fs/cgroup/pids" + f[2]);
            }
        }
        throw new AssertionError("process " + pid + " is in no pids cgroup");
    }
}
