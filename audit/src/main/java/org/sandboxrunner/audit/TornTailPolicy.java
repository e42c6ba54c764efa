package org.sandboxrunner.audit;

/** What a writer does when it finds bytes after the last newline (a writer died mid-line). */
public enum TornTailPolicy {
    /**
     * Move the bytes to {@code FILE.torn} (offset, length, SHA-256 and the bytes), truncate the log
     * to its last whole line, and append an {@code audit.torn-tail} event that records all of it, so
     * the loss is itself chained and signed. The default: a crashed runner can restart.
     */
    QUARANTINE,
    /** Refuse to open the log; an operator inspects it first. */
    REFUSE
}
