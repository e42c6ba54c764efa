package org.sandboxrunner.audit;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@link AuditVerifier} found.
 *
 * @param logFile the log verified
 * @param lines whole lines in the log
 * @param sealedLines lines covered by a checkpoint that verified with a given key and whose Merkle
 *        root matches; lines {@code sealedLines + 1 .. lines} are unsealed
 * @param trustedCheckpoints checkpoints whose signature verified
 * @param problems every reason the log does not verify, log lines first, in line order
 * @param notes facts worth telling that are not failures
 */
public record VerificationReport(Path logFile, long lines, long sealedLines, int trustedCheckpoints,
        List<Problem> problems, List<String> notes) {

    /** Why a line or checkpoint does not verify. */
    public enum Kind {
        /** A line's bytes are not what was chained or signed. */
        EDITED,
        /** One or more lines are missing between two that remain. */
        DELETED,
        /** A line is at another position than the one it was written at. */
        REORDERED,
        /** A line that was never written by the log's writer. */
        INSERTED,
        /** A byte-for-byte copy of another line. */
        DUPLICATED,
        /** The log ends before the last line a checkpoint signed. */
        TRUNCATED,
        /** Bytes after the last newline: a write cut short by a crash. */
        TORN_TAIL,
        /** A checkpoint signed by no key the verifier was given. */
        UNKNOWN_KEY,
        /** A checkpoint signature by a given key that does not verify. */
        BAD_SIGNATURE,
        /** A checkpoint file line that is not a signed checkpoint. */
        MALFORMED_CHECKPOINT,
        /** Checkpoints that contradict each other (another origin, a fork, a size going back, a latest missing from the history). */
        INCONSISTENT_CHECKPOINTS
    }

    /**
     * One finding.
     *
     * @param kind what is wrong
     * @param file the log or one of its checkpoint files
     * @param line 1-based line in {@code file}
     * @param message a sentence saying what was found
     */
    public record Problem(Kind kind, Path file, long line, String message) {

        /** {@code FILE line N: kind: message}. */
        public String describe() {
            return file.getFileName() + " line " + line + ": " + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + ": " + message;
        }
    }

    public VerificationReport {
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }

    /** True when nothing is wrong. Unsealed lines are not wrong by themselves: see {@link #sealedLines()}. */
    public boolean ok() {
        return problems.isEmpty();
    }

    /** The first bad line: in the log if any, else in the checkpoint files. */
    public Optional<Problem> firstProblem() {
        return problems.stream().findFirst();
    }

    public long unsealedLines() {
        return lines - sealedLines;
    }
}
