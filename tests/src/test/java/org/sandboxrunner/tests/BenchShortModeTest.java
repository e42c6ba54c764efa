package org.sandboxrunner.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI's check that the benchmark works: {@code bench/run --short} runs every part (peers side by
 * side, cold CLI, throughput, RSS) a few times. The figures are not judged here; docs/performance.md
 * holds the measured ones.
 */
class BenchShortModeTest {
    @TempDir
    Path tmp;

    @Test
    void theShortBenchmarkRunsEveryPart() throws Exception {
        Path top = Path.of("").toAbsolutePath().getParent();
        Path script = top.resolve("bench/run");
        assertTrue(Files.isExecutable(script), script + " is missing (tests run from the tests module)");
        Path output = tmp.resolve("bench.out");
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "--short").redirectErrorStream(true)
                .redirectOutput(output.toFile());
        // The runner as these tests built it: no jar, no nested build.
        pb.environment().put("SANDBOX_CLASSPATH", System.getProperty("java.class.path"));
        Process bench = pb.start();
        assertTrue(bench.waitFor(10, TimeUnit.MINUTES), "bench/run --short took more than 10 minutes");
        String out = Files.readString(output);
        assertEquals(0, bench.exitValue(), out);
        for (String expected : List.of("## /bin/true (ms per run, 5 runs each, alternating)",
                "## /usr/bin/python3 -c pass (ms per run", "| sandbox-runner (Java API, warm, worker slot) |",
                "| sandbox-runner (Java API, warm, one-shot Sandbox.run) |", "| bubblewrap ",
                "| reference: unshare, same namespaces, nothing else |", "## /bin/true, cold CLI",
                "| sandbox-runner (bin/sandbox run, cold JVM) |", "| sandbox-runner (BatchRunner) | 2 | 10 |",
                "JVM resident memory during the 2-worker batch: peak VmRSS ", "- load average at the end: ")) {
            assertTrue(out.contains(expected), "no '" + expected + "' in\n" + out);
        }
    }
}
