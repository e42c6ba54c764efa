package org.sandboxrunner.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A runner killed with SIGKILL mid-run leaves no process of the run behind (the lifeline pipe). */
class RunnerDeathTest {

    @Test
    void killingTheRunnerKillsTheRun() throws Exception {
        // A sleep whose argument is unique to this test, so we find exactly its processes.
        String seconds = "999." + Math.abs(UUID.randomUUID().getMostSignificantBits() % 100000);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process runner = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "org.sandboxrunner.core.cli.Main", "run", "--", "/bin/sleep", seconds)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (sleepers(seconds).isEmpty()) {
                assertTrue(runner.isAlive(), "the runner ended before the workload started");
                assertTrue(System.nanoTime() < deadline, "the workload never started");
                Thread.sleep(20);
            }
            runner.destroyForcibly(); // SIGKILL
            runner.waitFor();
            deadline = System.nanoTime() + 2_000_000_000L;
            while (!sleepers(seconds).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(sleepers(seconds).isEmpty(), "processes of the run survived the runner: " + sleepers(seconds));
        } finally {
            runner.destroyForcibly();
        }
    }

    /** Pids whose command line is exactly {@code /bin/sleep SECONDS}. */
    private static List<String> sleepers(String seconds) throws IOException {
        byte[] wanted = ("/bin/sleep\0" + seconds + "\0").getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> {
                        try {
                            return java.util.Arrays.equals(Files.readAllBytes(p.resolve("cmdline")), wanted);
                        } catch (IOException e) {
                            return false; // the process ended while we looked
                        }
                    })
                    .map(p -> p.getFileName().toString()).toList();
        }
    }
}
