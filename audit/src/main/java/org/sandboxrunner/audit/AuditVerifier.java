package org.sandboxrunner.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sandboxrunner.audit.VerificationReport.Kind;
import org.sandboxrunner.audit.VerificationReport.Problem;
import org.sandboxrunner.audit.merkle.CompactRange;
import org.sandboxrunner.audit.note.Checkpoint;
import org.sandboxrunner.audit.note.NoteFormatException;
import org.sandboxrunner.audit.note.NoteVerificationException;
import org.sandboxrunner.audit.note.NoteVerifier;
import org.sandboxrunner.audit.note.SignedNote;

/**
 * Offline verification of a log and its checkpoint files: every line decodes and chains, every
 * checkpoint is signed by a given key and has the Merkle root of the lines it covers, and the
 * checkpoints agree with each other. Reads the files only; never needs the writer's state.
 * Keeps a few hundred bytes per line in memory.
 */
public final class AuditVerifier {

    /** A checkpoint whose signature verified, and where it was read. */
    private record Trusted(Path file, long line, Checkpoint checkpoint) {
    }

    private AuditVerifier() {
    }

    /**
     * Verifies with verifier key strings ({@code name+keyid+base64}).
     *
     * @throws IllegalArgumentException when a key string is malformed
     * @throws IOException when the log cannot be read
     */
    public static VerificationReport verify(Path logFile, List<String> verifierKeys) throws IOException {
        return verify(logFile, verifierKeys.stream().map(AuditKeys::parseVerifier).toList());
    }

    /**
     * Verifies with verifier objects. With none, only the chain is checked and every line is
     * reported unsealed.
     *
     * @throws IOException when the log cannot be read
     */
    public static VerificationReport verify(Path logFile, Collection<? extends NoteVerifier> verifiers) throws IOException {
        LogFiles files = new LogFiles(logFile);
        if (!Files.isRegularFile(files.log())) {
            throw new NoSuchFileException(files.log().toString(), null, "no audit log there");
        }
        List<Problem> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<LineFacts> lines = new ArrayList<>();
        JsonLines.End end = JsonLines.scan(files.log(), 0, 1, line -> lines.add(LineFacts.of(line)));

        List<Trusted> trusted = readCheckpoints(files, verifiers, problems, notes);
        String origin = trusted.isEmpty() ? null : trusted.get(0).checkpoint().origin();
        if (origin == null && !lines.isEmpty()) {
            notes.add("no trusted checkpoint names the origin, so line 1's prev was not checked");
        }
        Map<Long, byte[]> roots = rootsAt(lines, trusted);
        Optional<ChainCheck.Finding> chainBreak = ChainCheck.firstBreak(lines,
                origin == null ? null : HexFormat.of().formatHex(AuditLog.originHash(origin)),
                size -> trusted.stream().filter(t -> t.checkpoint().size() == size).findFirst()
                        .map(t -> t.checkpoint().hasRoot(roots.get(size))));
        List<Problem> lineProblems = new ArrayList<>();
        chainBreak.ifPresent(f -> lineProblems.add(new Problem(f.kind(), files.log(), f.index() + 1L, f.message())));

        long sealed = 0;
        long longest = 0;
        Trusted longestCheckpoint = null;
        boolean mismatchReported = false;
        for (Trusted t : trusted.stream().sorted(Comparator.comparingLong(t -> t.checkpoint().size())).toList()) {
            long size = t.checkpoint().size();
            if (size > lines.size()) {
                if (size > longest) {
                    longest = size;
                    longestCheckpoint = t;
                }
            } else if (t.checkpoint().hasRoot(roots.get(size))) {
                sealed = Math.max(sealed, size);
            } else if (!mismatchReported && (chainBreak.isEmpty() || chainBreak.get().index() >= size)) {
                mismatchReported = true;
                lineProblems.add(new Problem(Kind.EDITED, files.log(), size, "the first " + size + " lines do not have the"
                        + " Merkle root signed at " + where(t) + "; the chain is intact, so this last line they cover was"
                        + " changed (or all of them were rewritten with a recomputed chain)"));
            }
        }
        if (longestCheckpoint != null) {
            lineProblems.add(new Problem(Kind.TRUNCATED, files.log(), lines.size() + 1L, "the log has " + lines.size()
                    + " whole lines but " + where(longestCheckpoint) + " signs " + longest + ": "
                    + (longest == lines.size() + 1 ? "line " + longest + " was" : "lines " + (lines.size() + 1) + " to " + longest + " were")
                    + " removed"));
        }
        end.tornTail().ifPresent(torn -> lineProblems.add(new Problem(Kind.TORN_TAIL, files.log(), torn.number(),
                torn.length() + " bytes at offset " + torn.offset() + " have no final newline: a write was cut short")));
        lineProblems.sort(Comparator.comparingLong(Problem::line));
        List<Problem> all = new ArrayList<>(lineProblems);
        all.addAll(problems);
        List<TornTails.Entry> moved = TornTails.read(files.tornTails(), files.log());
        if (!moved.isEmpty()) {
            long unrecorded = moved.stream().filter(entry -> lines.stream()
                    .noneMatch(line -> line.tornTailEvent() != null && entry.recordedBy(line.tornTailEvent()))).count();
            notes.add(moved.size() + " torn tails were moved aside to " + files.tornTails().getFileName()
                    + (unrecorded == 0 ? ", each recorded by an " + AuditLog.TORN_TAIL_EVENT + " event"
                            : "; " + unrecorded + " of them have no " + AuditLog.TORN_TAIL_EVENT + " event (a writer died"
                                    + " while moving them)"));
        }
        return new VerificationReport(files.log(), lines.size(), sealed, trusted.size(), all, notes);
    }

    private static String where(Trusted t) {
        return t.file().getFileName() + " line " + t.line();
    }

    /** The Merkle root of the first {@code size} lines, for every trusted checkpoint size the log reaches. */
    private static Map<Long, byte[]> rootsAt(List<LineFacts> lines, List<Trusted> trusted) {
        Map<Long, byte[]> roots = new HashMap<>();
        trusted.forEach(t -> roots.put(t.checkpoint().size(), null));
        CompactRange tree = new CompactRange();
        if (roots.containsKey(0L)) {
            roots.put(0L, tree.root());
        }
        for (LineFacts line : lines) {
            tree.append(line.leafHash());
            if (roots.containsKey(tree.size())) {
                roots.put(tree.size(), tree.root());
            }
        }
        return roots;
    }

    /**
     * Reads {@code FILE.checkpoints} and {@code FILE.checkpoint}; returns the checkpoints whose
     * signature verifies, in history order, and adds a problem for every one that does not or that
     * contradicts another.
     */
    private static List<Trusted> readCheckpoints(LogFiles files, Collection<? extends NoteVerifier> verifiers,
            List<Problem> problems, List<String> notes) throws IOException {
        List<Trusted> trusted = new ArrayList<>();
        List<byte[]> historyNotes = new ArrayList<>();
        int[] unchecked = {0};
        Path history = files.checkpointHistory();
        if (Files.exists(history)) {
            JsonLines.End end = JsonLines.scan(history, 0, 1, line -> {
                byte[] note;
                try {
                    note = CheckpointHistory.note(line.bytes() == null ? new byte[0] : line.bytes());
                } catch (IllegalArgumentException e) {
                    problems.add(new Problem(Kind.MALFORMED_CHECKPOINT, history, line.number(), e.getMessage()));
                    return;
                }
                historyNotes.add(note);
                open(history, line.number(), note, verifiers, problems, unchecked).ifPresent(trusted::add);
            });
            end.tornTail().ifPresent(torn -> problems.add(new Problem(Kind.TORN_TAIL, history, torn.number(),
                    torn.length() + " bytes at offset " + torn.offset() + " have no final newline: a write was cut short")));
        }
        checkAgreement(trusted, problems);
        Path latest = files.latestCheckpoint();
        if (Files.exists(latest)) {
            byte[] note = Files.readAllBytes(latest);
            Optional<Trusted> opened = open(latest, 1, note, verifiers, problems, unchecked);
            if (historyNotes.stream().noneMatch(h -> Arrays.equals(h, note))) {
                problems.add(new Problem(Kind.INCONSISTENT_CHECKPOINTS, latest, 1, "the latest checkpoint is not in "
                        + history.getFileName() + ": the history was edited or removed"));
                opened.ifPresent(trusted::add);
                checkAgreement(trusted, problems);
            }
        }
        if (unchecked[0] > 0) {
            notes.add(unchecked[0] + " checkpoint notes were not checked: no verifier key was given");
        }
        return trusted;
    }

    private static Optional<Trusted> open(Path file, long line, byte[] note, Collection<? extends NoteVerifier> verifiers,
            List<Problem> problems, int[] unchecked) {
        Checkpoint checkpoint;
        SignedNote signed;
        try {
            signed = SignedNote.parse(note);
            checkpoint = Checkpoint.parse(signed.text());
        } catch (NoteFormatException e) {
            problems.add(new Problem(Kind.MALFORMED_CHECKPOINT, file, line, e.getMessage()));
            return Optional.empty();
        }
        if (verifiers.isEmpty()) {
            unchecked[0]++;
            return Optional.empty();
        }
        try {
            signed.open(verifiers);
            return Optional.of(new Trusted(file, line, checkpoint));
        } catch (NoteVerificationException e) {
            Kind kind = e.reason() == NoteVerificationException.Reason.INVALID_SIGNATURE ? Kind.BAD_SIGNATURE : Kind.UNKNOWN_KEY;
            problems.add(new Problem(kind, file, line, "checkpoint of " + checkpoint.size() + " lines: " + e.getMessage()));
            return Optional.empty();
        }
    }

    /**
     * tlog-checkpoint: a log never signs two inconsistent checkpoints. Over one log file that means
     * one origin, sizes that never go back, and one root per size; roots of different sizes are
     * checked against the lines themselves.
     */
    private static void checkAgreement(List<Trusted> trusted, List<Problem> problems) {
        for (int i = 1; i < trusted.size(); i++) {
            Checkpoint first = trusted.get(0).checkpoint();
            Checkpoint previous = trusted.get(i - 1).checkpoint();
            Trusted current = trusted.get(i);
            Checkpoint checkpoint = current.checkpoint();
            String why = null;
            if (!checkpoint.origin().equals(first.origin())) {
                why = "its origin \"" + checkpoint.origin() + "\" differs from \"" + first.origin() + "\" at " + where(trusted.get(0));
            } else if (checkpoint.size() < previous.size()) {
                why = "it signs " + checkpoint.size() + " lines after " + where(trusted.get(i - 1)) + " signed " + previous.size();
            } else if (checkpoint.size() == previous.size() && !checkpoint.hasRoot(previous.rootHash())) {
                why = "it signs another root for the same " + checkpoint.size() + " lines as " + where(trusted.get(i - 1));
            }
            if (why != null && problems.stream().noneMatch(p -> p.file().equals(current.file()) && p.line() == current.line())) {
                problems.add(new Problem(Kind.INCONSISTENT_CHECKPOINTS, current.file(), current.line(), why));
            }
        }
    }

}
