package org.sandboxrunner.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.audit.AuditEvent;
import org.sandboxrunner.audit.AuditKeys;
import org.sandboxrunner.audit.AuditLog;
import org.sandboxrunner.audit.AuditObject;
import org.sandboxrunner.audit.AuditOptions;
import picocli.CommandLine;

class AuditCommandTest {

    private static final String ORIGIN = "grader.example.org/audit";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine command = new CommandLine(new AuditCommand());
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    private AuditKeys.GeneratedKey keygen() {
        assertEquals(0, run("keygen", ORIGIN, "--out", dir.toString()), err.toString());
        return new AuditKeys.GeneratedKey(dir.resolve("grader.example.org_audit.skey"), dir.resolve("grader.example.org_audit.vkey"),
                out.toString().lines().reduce((a, b) -> b).orElseThrow());
    }

    private Path writeLog(AuditKeys.GeneratedKey key) throws Exception {
        Path log = dir.resolve("audit.jsonl");
        AuditOptions options = AuditOptions.builder(ORIGIN, "0.1.0").signer(AuditKeys.loadSigner(key.signerKeyFile())).build();
        try (AuditLog audit = AuditLog.open(log, options)) {
            AuditObject run = AuditObject.forRun("run-7").withProfile("judge-default", "a".repeat(64))
                    .withCommand(List.of("/usr/bin/python3", "solution.py", "--input", "tests/very/long/path/to/input-01.txt"));
            audit.append(AuditEvent.success("run.step", "exec", run, AuditEvent.newDetails()));
            audit.append(AuditEvent.success("run.outcome", "run", run, AuditEvent.newDetails()
                    .put("status", "TLE").put("cpuTimeMs", 2013).put("memoryPeakBytes", 52_428_800)));
            audit.append(AuditEvent.failure("run.outcome", "run", "seccomp killed it", AuditObject.forRun("run-8"),
                    AuditEvent.newDetails().put("status", "SC").put("cpuTimeMs", 4)));
            audit.checkpoint();
        }
        return log;
    }

    @Test
    void keygenWritesBothKeyFilesAndPrintsTheVerifierKey() throws Exception {
        AuditKeys.GeneratedKey key = keygen();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key.signerKeyFile())));
        assertEquals(key.verifierKey() + "\n", Files.readString(key.verifierKeyFile()));
        assertTrue(key.verifierKey().startsWith(ORIGIN + "+"), out.toString());
        assertTrue(!out.toString().contains("PRIVATE"), "the private key is never printed");

        assertEquals(125, run("keygen", ORIGIN, "--out", dir.toString()));
        assertEquals("sandbox audit keygen: " + key.verifierKeyFile() + ": already exists; refusing to overwrite a key file\n",
                err.toString());
    }

    @Test
    void verifyAcceptsAnUntouchedLogAndNamesTheFirstBadLineOtherwise() throws Exception {
        AuditKeys.GeneratedKey key = keygen();
        Path log = writeLog(key);
        out.getBuffer().setLength(0);
        assertEquals(0, run("verify", "--key", key.verifierKey(), dir.toString()), err.toString());
        assertEquals("OK audit.jsonl: 3 lines, 3 sealed by 1 trusted checkpoints\n", out.toString());

        out.getBuffer().setLength(0);
        assertEquals(0, run("verify", "--key", key.verifierKeyFile().toString(), "--require-sealed", log.toString()));

        List<String> lines = Files.readAllLines(log);
        Files.write(log, List.of(lines.get(0), lines.get(2)));
        out.getBuffer().setLength(0);
        assertEquals(1, run("verify", "--key", key.verifierKey(), log.toString()));
        assertEquals("FAILED audit.jsonl: audit.jsonl line 2: deleted: the line with seq 1 is missing before it\n"
                + "  also: audit.jsonl line 3: truncated: the log has 2 whole lines but audit.jsonl.checkpoints line 1 signs 3:"
                + " line 3 was removed\n", out.toString());
    }

    @Test
    void verifyWithoutKeysChecksTheChainAndRequireSealedFailsOnUnsealedLines() throws Exception {
        Path log = writeLog(keygen());
        out.getBuffer().setLength(0);
        assertEquals(0, run("verify", log.toString()));
        assertTrue(out.toString().startsWith("OK audit.jsonl: 3 lines, 0 sealed by 0 trusted checkpoints\n"
                + "unsealed: lines 1 to 3 are after the last trusted checkpoint\n"), out.toString());
        assertEquals(1, run("verify", "--require-sealed", log.toString()));
    }

    @Test
    void usageAndIoErrorsExitWith125AndOneLineSayingWhat() throws Exception {
        assertEquals(125, run("verify", "--key", "not-a-key", dir.toString()));
        assertEquals("sandbox audit verify: invalid --key: verifier key \"not-a-key\" is not NAME+KEYID+BASE64\n", err.toString());

        err.getBuffer().setLength(0);
        assertEquals(125, run("verify", dir.resolve("missing.jsonl").toString()));
        assertEquals("sandbox audit verify: " + dir.resolve("missing.jsonl") + ": no such file (no audit log there)\n", err.toString());

        err.getBuffer().setLength(0);
        assertEquals(125, run("keygen", "bad name", "--out", dir.toString()));
        assertEquals("sandbox audit keygen: invalid key name: key name \"bad name\" contains the space U+0020, which"
                + " signed-note forbids\n", err.toString());

        err.getBuffer().setLength(0);
        assertEquals(125, run("verify"));
        assertTrue(err.toString().startsWith("Missing required parameter: 'LOG'"), err.toString());
        assertEquals(125, run("frobnicate"));
        assertEquals(125, run());
    }

    @Test
    void showPrintsOneRowPerRunOutcome() throws Exception {
        Path log = writeLog(keygen());
        out.getBuffer().setLength(0);
        assertEquals(0, run("show", log.toString()), err.toString());
        List<String> rows = out.toString().lines().toList();
        assertEquals(3, rows.size(), out.toString());
        assertTrue(rows.get(0).matches("TIME +RUN +PROFILE +COMMAND +VERDICT +CPU +MEMORY"), rows.get(0));
        assertTrue(rows.get(1).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ  run-7  judge-default  /usr/bin/python3 solution.py --input \\.\\.\\."
                + "  TLE      2\\.01 s  50\\.0 MiB"), rows.get(1));
        assertTrue(rows.get(2).matches(".*  run-8  -              -  +SC  +4 ms  +-"), rows.get(2));

        Files.writeString(log, Files.readString(log) + "{\"torn");
        out.getBuffer().setLength(0);
        assertEquals(1, run("show", dir.toString()));
        assertEquals(3, out.toString().lines().count());
        assertEquals("sandbox audit show: stopped at line 4 is torn (6 bytes without a newline); run sandbox audit verify\n",
                err.toString());
    }
}
