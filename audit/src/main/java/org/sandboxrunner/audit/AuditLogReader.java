package org.sandboxrunner.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the records of a log for display, without verifying it ({@link AuditVerifier} does that).
 * Stops at the first line that is not an audit line and says which.
 */
public final class AuditLogReader {

    /**
     * The records read.
     *
     * @param records the lines before the first unreadable one
     * @param problem what stopped the reading, naming the line; empty when every line was read
     */
    public record Contents(List<AuditRecord> records, Optional<String> problem) {

        public Contents {
            records = List.copyOf(records);
        }
    }

    private AuditLogReader() {
    }

    public static Contents read(Path logFile) throws IOException {
        List<AuditRecord> records = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        JsonLines.End end = JsonLines.scan(logFile, 0, 1, line -> {
            if (!problems.isEmpty()) {
                return;
            }
            if (line.bytes() == null) {
                problems.add("line " + line.number() + " is longer than " + AuditLines.MAX_LINE_BYTES + " bytes");
                return;
            }
            try {
                records.add(AuditLines.decode(line.bytes()));
            } catch (AuditFormatException e) {
                problems.add("line " + line.number() + " is not an audit line: " + e.getMessage());
            }
        });
        if (problems.isEmpty() && end.tornTail().isPresent()) {
            problems.add("line " + end.tornTail().get().number() + " is torn (" + end.tornTail().get().length()
                    + " bytes without a newline)");
        }
        return new Contents(records, problems.stream().findFirst());
    }
}
