package org.sandboxrunner.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.audit.VerificationReport.Kind;
import org.sandboxrunner.audit.note.Ed25519NoteSigner;

/** The verifier's verdict and sentence for each kind of change, on a six-line log sealed at 3 and 6 lines. */
class AuditVerifierTest {

    @TempDir
    Path dir;

    private final Ed25519NoteSigner key = AuditLogTest.generate(TestEvents.ORIGIN);
    private Path log;
    private List<String> lines;

    @BeforeEach
    void writeLog() throws Exception {
        log = dir.resolve("audit.jsonl");
        try (AuditLog audit = AuditLog.open(log, AuditOptions.builder(TestEvents.ORIGIN, "0.1.0").signer(key).build())) {
            for (int i = 0; i < 6; i++) {
                audit.append(TestEvents.step("run-1", "step-" + i));
                if (i == 2) {
                    audit.checkpoint();
                }
            }
        }
        lines = Files.readAllLines(log);
    }

    private String first(List<String> changed) throws Exception {
        Files.write(log, changed);
        VerificationReport report = AuditVerifier.verify(log, List.of(key.verifier()));
        return report.firstProblem().orElseThrow().describe();
    }

    private List<String> copy() {
        return new ArrayList<>(lines);
    }

    @Test
    void anUntouchedLogVerifiesAndIsSealed() throws Exception {
        VerificationReport report = AuditVerifier.verify(log, List.of(key.verifier().encoded()));
        assertEquals(List.of(), report.problems());
        assertEquals(6, report.sealedLines());
        assertEquals(2, report.trustedCheckpoints());
    }

    @Test
    void eachChangeIsNamedAtItsLine() throws Exception {
        List<String> edited = copy();
        edited.set(1, edited.get(1).replace("step-1", "step-9"));
        assertEquals("audit.jsonl line 2: edited: its bytes no longer hash to the prev that line 3 recorded", first(edited));

        List<String> dropped = copy();
        dropped.remove(3);
        assertEquals("audit.jsonl line 4: deleted: the line with seq 3 is missing before it", first(dropped));

        List<String> swapped = copy();
        swapped.set(1, lines.get(4));
        swapped.set(4, lines.get(1));
        assertEquals("audit.jsonl line 2: reordered: it has seq 4; the line with seq 1 is line 5", first(swapped));

        List<String> duplicated = copy();
        duplicated.add(4, lines.get(1));
        assertEquals("audit.jsonl line 5: duplicated: a byte-for-byte copy of line 2", first(duplicated));

        List<String> inserted = copy();
        inserted.add(2, "{\"hello\":\"world\"}");
        assertEquals("audit.jsonl line 3: inserted: not an audit line (the line has fields [hello]; expected exactly [seq, prev,"
                + " time, id, type, actor, object, action, result, reason, details] in that order), and line 4 continues the"
                + " chain without it", first(inserted));

        List<String> renumbered = copy();
        renumbered.set(2, renumbered.get(2).replace("\"seq\":2,", "\"seq\":7,"));
        assertEquals("audit.jsonl line 3: edited: its seq was changed to 7: it chains to line 2 so it belongs at seq 2",
                first(renumbered));

        List<String> lastEdited = copy();
        lastEdited.set(5, lastEdited.get(5).replace("step-5", "step-X"));
        assertEquals("audit.jsonl line 6: edited: the first 6 lines do not have the Merkle root signed at audit.jsonl.checkpoints"
                + " line 2; the chain is intact, so this last line they cover was changed (or all of them were rewritten with a"
                + " recomputed chain)", first(lastEdited));

        assertEquals("audit.jsonl line 5: truncated: the log has 4 whole lines but audit.jsonl.checkpoints line 2 signs 6: lines"
                + " 5 to 6 were removed", first(copy().subList(0, 4)));
    }

    @Test
    void checkpointsByUnknownKeysOrMissingFromTheHistoryFail() throws Exception {
        VerificationReport other = AuditVerifier.verify(log, List.of(AuditLogTest.generate(TestEvents.ORIGIN).verifier()));
        assertEquals(Kind.UNKNOWN_KEY, other.firstProblem().orElseThrow().kind());
        assertEquals(0, other.sealedLines());

        LogFiles files = new LogFiles(log);
        List<String> history = Files.readAllLines(files.checkpointHistory());
        Files.write(files.checkpointHistory(), history.subList(0, 1));
        VerificationReport report = AuditVerifier.verify(log, List.of(key.verifier()));
        assertEquals(List.of("audit.jsonl.checkpoint line 1: inconsistent checkpoints: the latest checkpoint is not in"
                + " audit.jsonl.checkpoints: the history was edited or removed"),
                report.problems().stream().map(VerificationReport.Problem::describe).toList());
        assertEquals(6, report.sealedLines(), "the latest checkpoint itself still verifies");
    }

    @Test
    void withoutKeysOnlyTheChainIsCheckedAndNothingIsSealed() throws Exception {
        VerificationReport report = AuditVerifier.verify(log, List.<String>of());
        assertEquals(List.of(), report.problems());
        assertEquals(6, report.unsealedLines());
        assertEquals(List.of("3 checkpoint notes were not checked: no verifier key was given",
                "no trusted checkpoint names the origin, so line 1's prev was not checked"), report.notes());
    }
}
