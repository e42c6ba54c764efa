package org.sandboxrunner.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.audit.VerificationReport.Kind;
import org.sandboxrunner.audit.VerificationReport.Problem;

/**
 * Real processes on one log: writers run concurrently and are serialised by the file lock, and a
 * writer killed with SIGKILL at a random point never leaves a log that verifies wrongly.
 */
class MultiProcessTest {

    private static final int CRASH_ITERATIONS = 200;

    @TempDir
    Path dir;

    private AuditKeys.GeneratedKey key() throws IOException {
        return AuditKeys.generate(TestEvents.ORIGIN, dir);
    }

    /**
     * The crash test starts 200 writer JVMs, and their start-up is nearly all of its time. A dynamic
     * class-data-sharing archive, recorded by one writer that ends normally, lets every later writer map
     * the classes it needs instead of loading them. CDS takes only jars, so the class directories of
     * the test class path are packed into one first.
     */
    @TempDir
    static Path cdsDir;
    private static String classPath;
    private static Path archive;

    private static synchronized List<String> fastStart(Path dir) throws Exception {
        if (archive == null) {
            List<String> entries = new ArrayList<>();
            Path jar = dir.resolve("classes.jar");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                    Path p = Path.of(entry);
                    if (Files.isDirectory(p)) {
                        addTree(out, p);
                    } else if (entry.endsWith(".jar")) {
                        entries.add(entry);
                    }
                }
            }
            entries.add(0, jar.toString());
            classPath = String.join(File.pathSeparator, entries);
            Path recorded = dir.resolve("writer.jsa");
            AuditKeys.GeneratedKey key = AuditKeys.generate(TestEvents.ORIGIN, Files.createDirectories(dir.resolve("cds-key")));
            Process warm = launch(List.of("-XX:ArchiveClassesAtExit=" + recorded), dir.resolve("cds.jsonl"), key, 10);
            assertTrue(warm.waitFor(120, TimeUnit.SECONDS) && warm.exitValue() == 0, "the archive-recording writer ended");
            archive = recorded;
        }
        return List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto");
    }

    private static void addTree(JarOutputStream out, Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(root.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }

    private Process start(Path log, AuditKeys.GeneratedKey key, long events) throws Exception {
        return launch(fastStart(cdsDir), log, key, events);
    }

    private static Process launch(List<String> jvmOptions, Path log, AuditKeys.GeneratedKey key, long events) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmx64m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, CrashWriter.class.getName(), log.toString(), key.signerKeyFile().toString(),
                Long.toString(events)));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    @Test
    void concurrentWriterProcessesAreSerialisedAndTheirLinesChain() throws Exception {
        AuditKeys.GeneratedKey key = key();
        Path log = dir.resolve("audit.jsonl");
        List<Process> writers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            writers.add(start(log, key, 100));
        }
        for (Process writer : writers) {
            assertTrue(writer.waitFor(60, TimeUnit.SECONDS), "writer finished");
            assertEquals(0, writer.exitValue());
        }
        VerificationReport report = AuditVerifier.verify(log, List.of(key.verifierKey()));
        assertEquals(List.of(), report.problems());
        assertEquals(300, report.lines());
        assertEquals(300, report.sealedLines());
        Map<Long, Long> perPid = AuditLogReader.read(log).records().stream()
                .collect(Collectors.groupingBy(r -> r.actor().pid(), Collectors.counting()));
        assertEquals(Map.of(100L, 3L), perPid.values().stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting())));
    }

    /**
     * Four sequences of 50 kills each run side by side on four logs: a JVM's start-up and the random
     * waits before each kill, not the kill, are what an iteration costs, and two sequences left the two
     * cores idle a quarter of the time.
     */
    @Test
    void aWriterKilledAtRandomPointsNeverLeavesALogThatVerifiesWrongly() throws Exception {
        AuditKeys.GeneratedKey key = key();
        int sequences = 4;
        ExecutorService pool = Executors.newFixedThreadPool(sequences);
        try {
            List<Future<String>> runs = new ArrayList<>();
            for (int sequence = 0; sequence < sequences; sequence++) {
                Path log = dir.resolve("audit-" + sequence + ".jsonl");
                Random random = new Random(20261125 + sequence);
                runs.add(pool.submit(() -> crashRepeatedly(log, key, random, CRASH_ITERATIONS / sequences)));
            }
            for (Future<String> run : runs) {
                System.out.println("crash test: " + run.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private String crashRepeatedly(Path log, AuditKeys.GeneratedKey key, Random random, int iterations) throws Exception {
        Set<Long> tornOffsets = new TreeSet<>();
        int killedWhileOpen = 0;
        for (int i = 0; i < iterations; i++) {
            Process writer = start(log, key, 0);
            if (random.nextInt(5) == 0) {
                // Kill at a random point of start-up, which includes the recovery of the last crash.
                Thread.sleep(random.nextInt(400));
            } else {
                BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("open", out.readLine(), "writer " + i + " opened the log");
                killedWhileOpen++;
                Thread.sleep(random.nextInt(150));
            }
            writer.destroyForcibly();
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, writer.exitValue(), "writer " + i + " was killed by SIGKILL, not ended by itself");

            if (!Files.exists(log)) {
                assertEquals(0, killedWhileOpen, "only a writer killed before its first open leaves no log");
                continue;
            }
            VerificationReport report = AuditVerifier.verify(log, List.of(key.verifierKey()));
            for (Problem problem : report.problems()) {
                assertEquals(Kind.TORN_TAIL, problem.kind(), "iteration " + i + ": " + problem.describe());
                if (problem.file().equals(report.logFile())) {
                    assertEquals(report.lines() + 1, problem.line(), "the torn tail is the line after the last whole one");
                    tornOffsets.add(Long.parseLong(problem.message().replaceAll(".* at offset ([0-9]+) .*", "$1")));
                }
            }
            assertTrue(report.problems().size() <= 2, report.problems().toString());
        }
        AuditOptions options = AuditOptions.builder(TestEvents.ORIGIN, "0.1.0-SNAPSHOT")
                .signer(AuditKeys.loadSigner(key.signerKeyFile())).build();
        AuditLog.open(log, options).close();
        VerificationReport report = AuditVerifier.verify(log, List.of(key.verifierKey()));
        assertEquals(List.of(), report.problems());
        assertEquals(report.lines(), report.sealedLines());
        List<AuditRecord> records = AuditLogReader.read(log).records();
        List<TornTails.Entry> moved = TornTails.read(new LogFiles(log).tornTails(), log);
        for (TornTails.Entry entry : moved) {
            assertTrue(records.stream().anyMatch(entry::recordedBy), "torn tail at offset " + entry.offset() + " is in the chain");
        }
        assertTrue(tornOffsets.stream().allMatch(offset -> moved.stream().anyMatch(e -> e.offset() == offset)),
                "every torn tail seen was moved aside: seen " + tornOffsets + ", moved " + moved);
        assertTrue(killedWhileOpen > iterations / 2 && report.lines() > iterations / 2, "the writers wrote " + report.lines() + " lines");
        return iterations + " kills (" + killedWhileOpen + " after open), " + report.lines() + " lines, "
                + tornOffsets.size() + " torn tails seen, " + moved.size() + " moved aside";
    }
}
