package org.sandboxrunner.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.audit.note.Checkpoint;
import org.sandboxrunner.audit.note.SignedNote;

/**
 * A checkpoint and log written here verify with an independent implementation: a Python script
 * written from the specs, using hashlib and Debian's python3-cryptography for Ed25519.
 */
class ExternalVerifierTest {

    /** Debian's interpreter, where apt's python3-cryptography is installed. */
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    @BeforeAll
    static void pythonCryptographyIsInstalled() throws Exception {
        Process probe = new ProcessBuilder(PYTHON, "-c", "import cryptography").redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(probe.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, probe.exitValue(), PYTHON + " cannot import cryptography; install Debian's python3-cryptography: " + output);
    }

    @Test
    void pythonCryptographyVerifiesTheCheckpointAndRecomputesTheRootAndChain() throws Exception {
        AuditKeys.GeneratedKey key = AuditKeys.generate(TestEvents.ORIGIN, dir);
        Path log = dir.resolve("audit.jsonl");
        String note;
        try (AuditLog audit = AuditLog.open(log, AuditOptions.builder(TestEvents.ORIGIN, "0.1.0")
                .signer(AuditKeys.loadSigner(key.signerKeyFile())).build())) {
            for (int i = 0; i < 11; i++) {
                audit.append(TestEvents.step("run-" + i, "exec"));
            }
            audit.append(TestEvents.outcome("run-10", "TLE", 2000, 1 << 24));
            note = audit.checkpoint().orElseThrow();
        }
        Checkpoint checkpoint = Checkpoint.parse(SignedNote.parse(note.getBytes(StandardCharsets.UTF_8)).text());
        Path latest = new LogFiles(log).latestCheckpoint();
        assertEquals(List.of("OK " + TestEvents.ORIGIN + " 12 " + java.util.Base64.getEncoder().encodeToString(checkpoint.rootHash())),
                runScript(log, latest, key.verifierKey(), 0));

        String text = Files.readString(log);
        Files.writeString(log, text.replace("\"status\":\"TLE\"", "\"status\":\"OK!\""));
        assertEquals(List.of("FAIL root mismatch"), runScript(log, latest, key.verifierKey(), 1));
        Files.writeString(log, text.replace("run-3", "run-X"));
        assertEquals(List.of("FAIL line 5 does not chain"), runScript(log, latest, key.verifierKey(), 1));
        Files.writeString(log, text);
        Files.writeString(latest, Files.readString(latest).replace("\n12\n", "\n11\n"));
        assertEquals(List.of("FAIL signature does not verify"), runScript(log, latest, key.verifierKey(), 1));
    }

    private List<String> runScript(Path log, Path checkpoint, String verifierKey, int exitCode) throws IOException, InterruptedException {
        Path script = dir.resolve("verify_checkpoint.py");
        try (InputStream in = getClass().getResourceAsStream("verify_checkpoint.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process python = new ProcessBuilder(PYTHON, script.toString(), log.toString(), checkpoint.toString(), verifierKey)
                .redirectErrorStream(true).start();
        List<String> output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(python.waitFor(60, TimeUnit.SECONDS));
        assertEquals(exitCode, python.exitValue(), output.toString());
        return output;
    }
}
