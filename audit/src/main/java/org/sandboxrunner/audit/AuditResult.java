package org.sandboxrunner.audit;

/** How the audited action ended; written in lower case on the wire. */
public enum AuditResult {
    SUCCESS,
    FAILURE;

    String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static AuditResult fromWire(String value) {
        for (AuditResult result : values()) {
            if (result.wire().equals(value)) {
                return result;
            }
        }
        throw new IllegalArgumentException("result \"" + value + "\" is neither \"success\" nor \"failure\"");
    }
}
