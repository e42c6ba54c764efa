package org.sandboxrunner.audit;

import java.util.HexFormat;

/**
 * What the verifier keeps of one log line: its hashes, its {@code seq} and {@code prev}, and the
 * whole record only for {@link AuditLog#TORN_TAIL_EVENT} events (to match {@code FILE.torn}), so
 * a long log costs a few hundred bytes per line.
 *
 * @param sha256Hex SHA-256 of the line, hex, as the next line's prev should hold it
 * @param leafHash RFC 6962 leaf hash of the line
 * @param seq the line's seq, or -1 when it does not decode
 * @param prev the line's prev, or null when it does not decode
 * @param error why it does not decode, or null
 * @param tornTailEvent the record when it is a torn-tail event, else null
 */
record LineFacts(String sha256Hex, byte[] leafHash, long seq, String prev, String error, AuditRecord tornTailEvent) {

    static LineFacts of(JsonLines.Line line) {
        String hex = HexFormat.of().formatHex(line.sha256());
        if (line.bytes() == null) {
            return new LineFacts(hex, line.leafHash(), -1, null, "longer than " + AuditLines.MAX_LINE_BYTES + " bytes", null);
        }
        try {
            AuditRecord record = AuditLines.decode(line.bytes());
            return new LineFacts(hex, line.leafHash(), record.seq(), record.prev(), null,
                    record.event().type().equals(AuditLog.TORN_TAIL_EVENT) ? record : null);
        } catch (AuditFormatException e) {
            return new LineFacts(hex, line.leafHash(), -1, null, e.getMessage(), null);
        }
    }

    boolean decoded() {
        return error == null;
    }
}
