package org.sandboxrunner.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.audit.note.Checkpoint;
import org.sandboxrunner.audit.note.Ed25519NoteSigner;
import org.sandboxrunner.audit.note.SignedNote;

class AuditLogTest {

    @TempDir
    Path dir;

    private final Ed25519NoteSigner key = generate(TestEvents.ORIGIN);

    static Ed25519NoteSigner generate(String name) {
        try {
            return Ed25519NoteSigner.generate(name, new SecureRandom());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private AuditOptions.Builder options() {
        return AuditOptions.builder(TestEvents.ORIGIN, "0.1.0-SNAPSHOT").signer(key);
    }

    private Path log() {
        return dir.resolve("audit.jsonl");
    }

    private VerificationReport verify() throws IOException {
        return AuditVerifier.verify(log(), List.of(key.verifier()));
    }

    @Test
    void linesChainFromTheOriginAndACheckpointSealsThemAll() throws Exception {
        Optional<String> note;
        try (AuditLog audit = AuditLog.open(log(), options().build())) {
            audit.append(TestEvents.step("r1", "load-profile"));
            audit.append(TestEvents.outcome("r1", "OK", 10, 1 << 20));
            note = audit.checkpoint();
        }
        List<String> lines = Files.readAllLines(log());
        assertEquals(2, lines.size());
        AuditRecord first = AuditLines.decode(lines.get(0).getBytes(StandardCharsets.UTF_8));
        AuditRecord second = AuditLines.decode(lines.get(1).getBytes(StandardCharsets.UTF_8));
        assertEquals(java.util.HexFormat.of().formatHex(AuditLog.originHash(TestEvents.ORIGIN)), first.prev());
        assertEquals(java.util.HexFormat.of().formatHex(
                org.sandboxrunner.audit.merkle.MerkleHash.sha256().digest(lines.get(0).getBytes(StandardCharsets.UTF_8))), second.prev());
        assertEquals(ProcessHandle.current().pid(), second.actor().pid());
        assertTrue(second.time().toString().endsWith("Z"));

        Checkpoint checkpoint = Checkpoint.parse(SignedNote.parse(note.orElseThrow().getBytes(StandardCharsets.UTF_8)).text());
        assertEquals(TestEvents.ORIGIN, checkpoint.origin());
        assertEquals(2, checkpoint.size());
        assertEquals(note.get(), Files.readString(new LogFiles(log()).latestCheckpoint()));
        assertEquals(1, Files.readAllLines(new LogFiles(log()).checkpointHistory()).size(), "close adds no checkpoint for no new line");

        VerificationReport report = verify();
        assertEquals(List.of(), report.problems());
        assertEquals(2, report.lines());
        assertEquals(2, report.sealedLines());
    }

    @Test
    void theCadenceCheckpointsEveryNEvents() throws Exception {
        try (AuditLog audit = AuditLog.open(log(), options().checkpointEvery(3, java.time.Duration.ofHours(1)).build())) {
            for (int i = 0; i < 7; i++) {
                audit.append(TestEvents.step("r", "step-" + i));
            }
            assertEquals(2, Files.readAllLines(new LogFiles(log()).checkpointHistory()).size());
        }
        assertEquals(3, Files.readAllLines(new LogFiles(log()).checkpointHistory()).size(), "close seals the seventh line");
        assertEquals(7, verify().sealedLines());
    }

    @Test
    void withoutAKeyThereIsAChainButNoCheckpointAndEveryLineIsUnsealed() throws Exception {
        try (AuditLog audit = AuditLog.open(log(), AuditOptions.builder(TestEvents.ORIGIN, "1").build())) {
            audit.append(TestEvents.step("r", "exec"));
            assertEquals(Optional.empty(), audit.checkpoint());
        }
        assertFalse(Files.exists(new LogFiles(log()).latestCheckpoint()));
        VerificationReport report = AuditVerifier.verify(log(), List.<String>of());
        assertTrue(report.ok(), report.problems().toString());
        assertEquals(1, report.unsealedLines());
    }

    @Test
    void reopeningUsesThePersistedTreeAndDoesNotRescanTheLog() throws Exception {
        try (AuditLog audit = AuditLog.open(log(), options().build())) {
            audit.append(TestEvents.step("r", "a"));
            audit.append(TestEvents.step("r", "b"));
        }
        // Change line 1 in place, keeping its length: a writer that re-read the log would see the break.
        String text = Files.readString(log());
        Files.writeString(log(), text.replaceFirst("\"step\":\"a\"", "\"step\":\"A\""));
        try (AuditLog audit = AuditLog.open(log(), options().build())) {
            audit.append(TestEvents.step("r", "c"));
        }
        assertEquals(VerificationReport.Kind.EDITED, verify().firstProblem().orElseThrow().kind());

        Files.delete(new LogFiles(log()).treeState());
        AuditLogCorruptException e = assertThrows(AuditLogCorruptException.class, () -> AuditLog.open(log(), options().build()));
        assertEquals("audit log " + log() + ": line 2 at offset " + (text.indexOf('\n') + 1) + ": its prev is not the SHA-256"
                + " of line 1", e.getMessage());
    }

    @Test
    void aTornTailIsMovedAsideAndRecordedInTheChain() throws Exception {
        try (AuditLog audit = AuditLog.open(log(), options().build())) {
            audit.append(TestEvents.step("r", "a"));
        }
        long goodLength = Files.size(log());
        Files.write(log(), "{\"seq\":1,\"prev\":\"ab".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        VerificationReport torn = verify();
        assertEquals(List.of(new VerificationReport.Problem(VerificationReport.Kind.TORN_TAIL, log(), 2,
                "19 bytes at offset " + goodLength + " have no final newline: a write was cut short")), torn.problems());

        AuditLogCorruptException refused = assertThrows(AuditLogCorruptException.class,
                () -> AuditLog.open(log(), options().tornTail(TornTailPolicy.REFUSE).build()));
        assertEquals("audit log " + log() + ": line 2 at offset " + goodLength + " is torn: 19 bytes without a newline (a writer"
                + " died mid-line); verify the log and move them aside", refused.getMessage());

        try (AuditLog audit = AuditLog.open(log(), options().build())) {
            audit.append(TestEvents.step("r", "b"));
        }
        List<AuditRecord> records = AuditLogReader.read(log()).records();
        assertEquals(List.of("run.step", AuditLog.TORN_TAIL_EVENT, "run.step"), records.stream().map(r -> r.event().type()).toList());
        assertEquals(19, records.get(1).event().details().get("length").asLong());
        assertTrue(Files.readString(new LogFiles(log()).tornTails()).contains("\"base64\":\"eyJzZXEiOjEsInByZXYiOiJhYg==\""));
        assertTrue(verify().ok());
    }

    @Test
    void threadsOfOneJvmShareOneLogAndEveryLineChains() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (AuditLog audit = AuditLog.open(log(), options().fsync(FsyncPolicy.AT_CHECKPOINT)
                .checkpointEvery(25, java.time.Duration.ofHours(1)).build())) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String run = "run-" + t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        audit.append(TestEvents.step(run, "s" + i));
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        VerificationReport report = verify();
        assertTrue(report.ok(), report.problems().toString());
        assertEquals(400, report.lines());
        assertEquals(400, report.sealedLines());
    }

    @Test
    void aSecondOpenInTheSameJvmIsRefused() throws Exception {
        try (AuditLog audit = AuditLog.open(log(), options().build())) {
            IOException e = assertThrows(IOException.class, () -> AuditLog.open(dir.resolve("./audit.jsonl"), options().build()));
            assertEquals("audit log " + dir.toRealPath().resolve("audit.jsonl") + " is already open in this JVM; share that"
                    + " AuditLog instead", e.getMessage());
            audit.append(TestEvents.step("r", "a"));
        }
        AuditLog.open(log(), options().build()).close();
    }

    @Test
    void closingTwiceIsHarmlessAndAppendingAfterCloseIsRefused() throws Exception {
        AuditLog audit = AuditLog.open(log(), options().build());
        audit.close();
        audit.close();
        assertEquals("audit log " + log() + " is closed",
                assertThrows(IOException.class, () -> audit.append(TestEvents.step("r", "a"))).getMessage());
    }

    @Test
    void aTooLongEventWritesNothing() throws Exception {
        try (AuditLog audit = AuditLog.open(log(), options().build())) {
            audit.append(TestEvents.step("r", "a"));
            long before = Files.size(log());
            assertThrows(LineTooLongException.class, () -> audit.append(AuditEvent.success("run.step", "x", AuditObject.NONE,
                    AuditEvent.newDetails().put("blob", "y".repeat(70_000)))));
            assertEquals(before, Files.size(log()));
            audit.append(TestEvents.step("r", "b"));
        }
        assertTrue(verify().ok());
    }

    @Test
    void aLogTruncatedBelowItsCheckpointOrOfAnotherOriginIsNotExtended() throws Exception {
        try (AuditLog audit = AuditLog.open(log(), options().build())) {
            audit.append(TestEvents.step("r", "a"));
            audit.append(TestEvents.step("r", "b"));
        }
        AuditLogCorruptException origin = assertThrows(AuditLogCorruptException.class,
                () -> AuditLog.open(log(), AuditOptions.builder("other.example/log", "1").signer(key).build()));
        assertEquals("audit log " + log() + ": its latest checkpoint is for origin \"" + TestEvents.ORIGIN + "\", not"
                + " \"other.example/log\"", origin.getMessage());

        List<String> lines = Files.readAllLines(log());
        Files.writeString(log(), lines.get(0) + "\n");
        AuditLogCorruptException truncated = assertThrows(AuditLogCorruptException.class, () -> AuditLog.open(log(), options().build()));
        assertEquals("audit log " + log() + ": it has 1 lines but its latest checkpoint covers 2: signed lines were removed",
                truncated.getMessage());
    }

    @Test
    void linesAreMirroredAndFilesAreNotWorldReadable() throws Exception {
        ByteArrayOutputStream mirror = new ByteArrayOutputStream();
        try (AuditLog audit = AuditLog.open(log(), options().mirror(mirror).build())) {
            audit.append(TestEvents.step("r", "a"));
        }
        assertEquals(Files.readString(log()), mirror.toString(StandardCharsets.UTF_8));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(log())));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(new LogFiles(log()).latestCheckpoint())));
    }
}
