package org.sandboxrunner.audit;

import java.util.HexFormat;

/**
 * What the verifier keeps of one log line: its hashes and, when it decodes, its record.
 *
 * @param sha256Hex SHA-256 of the line, hex, as the next line's prev should hold it
 * @param leafHash RFC 6962 leaf hash of the line
 * @param record the decoded line, or null
 * @param error why it does not decode, or null
 */
record LineFacts(String sha256Hex, byte[] leafHash, AuditRecord record, String error) {

    static LineFacts of(JsonLines.Line line) {
        String hex = HexFormat.of().formatHex(line.sha256());
        if (line.bytes() == null) {
            return new LineFacts(hex, line.leafHash(), null, "longer than " + AuditLines.MAX_LINE_BYTES + " bytes");
        }
        try {
            return new LineFacts(hex, line.leafHash(), AuditLines.decode(line.bytes()), null);
        } catch (AuditFormatException e) {
            return new LineFacts(hex, line.leafHash(), null, e.getMessage());
        }
    }

    boolean decoded() {
        return record != null;
    }

    long seq() {
        return record.seq();
    }

    String prev() {
        return record.prev();
    }
}
