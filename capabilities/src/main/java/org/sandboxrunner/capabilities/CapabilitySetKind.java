package org.sandboxrunner.capabilities;

import java.util.Locale;

/** The five capability sets of a Linux thread, with the names profiles and /proc give them. */
public enum CapabilitySetKind {
    BOUNDING("CapBnd"),
    PERMITTED("CapPrm"),
    EFFECTIVE("CapEff"),
    INHERITABLE("CapInh"),
    AMBIENT("CapAmb");

    private final String statusField;

    CapabilitySetKind(String statusField) {
        this.statusField = statusField;
    }

    /** The name in profiles and OCI configs ({@code process.capabilities.bounding}) and in messages. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The field that shows this set in {@code /proc/PID/status}, e.g. {@code CapBnd}. */
    public String statusField() {
        return statusField;
    }
}
