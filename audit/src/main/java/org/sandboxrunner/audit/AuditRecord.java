package org.sandboxrunner.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One line of the log: the caller's event plus what the writer adds.
 *
 * @param seq position in the log, from 0
 * @param prev SHA-256 (64 lowercase hex digits) of the previous line's bytes without its newline;
 *        for line 0, of the log's origin
 * @param time when the writer appended it, microsecond precision, UTC
 * @param id unique event id
 * @param actor the writing process
 * @param event what happened
 */
public record AuditRecord(long seq, String prev, Instant time, String id, Actor actor, AuditEvent event) {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public AuditRecord {
        if (seq < 0) {
            throw new IllegalArgumentException("seq " + seq + " is negative");
        }
        if (prev == null || !SHA256_HEX.matcher(prev).matches()) {
            throw new IllegalArgumentException("prev \"" + prev + "\" is not 64 lowercase hex digits");
        }
        Objects.requireNonNull(time, "time");
        if (!time.truncatedTo(ChronoUnit.MICROS).equals(time)) {
            throw new IllegalArgumentException("time " + time + " is finer than microseconds");
        }
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("event id is missing");
        }
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(event, "event");
    }
}
