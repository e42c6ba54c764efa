package org.sandboxrunner.capabilities;

import java.util.List;

/** A requested capability state that breaks one or more rules; {@link #violations()} lists each. */
public final class CapabilityStateException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> violations;

    public CapabilityStateException(List<String> violations) {
        super("invalid capability state: " + String.join("; ", violations));
        this.violations = List.copyOf(violations);
    }

    /** One sentence per violation, naming the set and the capability, e.g. "effective: CAP_KILL is not in permitted (...)". */
    public List<String> violations() {
        return violations;
    }
}
