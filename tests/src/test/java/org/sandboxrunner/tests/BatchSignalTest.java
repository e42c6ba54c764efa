package org.sandboxrunner.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGINT or SIGTERM to a running {@code sandbox batch}: it stops taking jobs, the results written so
 * far stay (whole lines), the exit status is 130, and no process of any run outlives it.
 */
class BatchSignalTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void aSignalStopsTheBatchCleanly(String signal) throws Exception {
        // Sleeps whose argument is unique to this test, so we find exactly their processes.
        String seconds = "999." + Math.abs(UUID.randomUUID().getMostSignificantBits() % 100000);
        Path jobs = tmp.resolve("jobs.jsonl"), results = tmp.resolve("results.jsonl");
        Files.write(jobs, List.of(
                "{\"id\":\"quick-1\",\"command\":[\"/bin/true\"]}",
                "{\"id\":\"quick-2\",\"command\":[\"/bin/true\"]}",
                "{\"id\":\"sleep-1\",\"command\":[\"/bin/sleep\",\"" + seconds + "\"]}",
                "{\"id\":\"sleep-2\",\"command\":[\"/bin/sleep\",\"" + seconds + "\"]}",
                "{\"id\":\"never-1\",\"command\":[\"/bin/true\"]}",
                "{\"id\":\"never-2\",\"command\":[\"/bin/true\"]}"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process batch = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                BatchCli.class.getName(), "--jobs", jobs.toString(), "--results", results.toString(), "--parallel", "2")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("stderr").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (HostProcesses.running("/bin/sleep", seconds).size() < 2) {
                assertTrue(batch.isAlive(), "the batch ended before both sleeps started: " + Files.readString(tmp.resolve("stderr")));
                assertTrue(System.nanoTime() < deadline, "the sleeps never started");
                Thread.sleep(20);
            }
            // Only the runner's JVM gets the signal, as from kill(1) or a service manager.
            new ProcessBuilder("kill", "-" + signal, Long.toString(batch.pid())).inheritIO().start().waitFor();
            assertTrue(batch.waitFor(20, TimeUnit.SECONDS), "the batch did not stop");
            String stderr = Files.readString(tmp.resolve("stderr"));
            assertEquals(130, batch.exitValue(), stderr);
            assertTrue(stderr.contains("stopped by SIG" + signal + ": results so far are in " + results), stderr);
            assertEquals(List.of(), HostProcesses.awaitGone(2000, "/bin/sleep", seconds), "runs outlived the batch");
            List<String> lines = Files.readAllLines(results);
            assertEquals(List.of("quick-1", "quick-2"), lines.stream()
                    .map(l -> l.substring("{\"id\":\"".length(), l.indexOf("\",\"result\":{"))).sorted().toList(),
                    String.join("\n", lines));
            lines.forEach(l -> assertTrue(l.endsWith("}}"), "a cut line: " + l));
        } finally {
            batch.destroyForcibly();
        }
    }
}
