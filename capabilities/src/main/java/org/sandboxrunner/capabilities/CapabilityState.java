package org.sandboxrunner.capabilities;

import static org.sandboxrunner.capabilities.CapabilitySetKind.AMBIENT;
import static org.sandboxrunner.capabilities.CapabilitySetKind.BOUNDING;
import static org.sandboxrunner.capabilities.CapabilitySetKind.EFFECTIVE;
import static org.sandboxrunner.capabilities.CapabilitySetKind.INHERITABLE;
import static org.sandboxrunner.capabilities.CapabilitySetKind.PERMITTED;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A validated capability state for a sandboxed process: the five sets, the securebits, and the rule
 * the inheritable set was checked against. Construction checks every rule and reports every
 * violation at once, each naming the set and the capability:
 * <ul>
 *   <li>effective &sube; permitted (capset(2) refuses anything else);</li>
 *   <li>ambient &sube; permitted &cap; inheritable ({@code PR_CAP_AMBIENT_RAISE} requires both,
 *       and the kernel drops an ambient capability that leaves either);</li>
 *   <li>permitted, effective, inheritable, ambient &sube; bounding (bounding is the profile's
 *       ceiling, the most that root or execve can ever give back; a set above it contradicts it);</li>
 *   <li>inheritable = ambient, unless {@link InheritableRule#MAY_EXCEED_AMBIENT} says otherwise
 *       (CVE-2022-29162 class, see {@link InheritableRule}).</li>
 * </ul>
 */
public record CapabilityState(CapabilitySets sets, SecureBits securebits, InheritableRule inheritableRule) {

    public CapabilityState {
        Objects.requireNonNull(sets, "sets");
        Objects.requireNonNull(securebits, "securebits");
        Objects.requireNonNull(inheritableRule, "inheritableRule");
        List<String> violations = violations(sets, inheritableRule);
        if (!violations.isEmpty()) {
            throw new CapabilityStateException(violations);
        }
    }

    /** The given sets and securebits, with inheritable held to exactly what ambient needs. */
    public static CapabilityState of(CapabilitySets sets, SecureBits securebits) {
        return new CapabilityState(sets, securebits, InheritableRule.EQUALS_AMBIENT);
    }

    /** No capability in any set, bounding included, and no securebits: what the default profile asks. */
    public static CapabilityState none() {
        return of(CapabilitySets.NONE, SecureBits.NONE);
    }

    /** Every rule {@code sets} breaks, one sentence each; empty when it is a valid state. */
    public static List<String> violations(CapabilitySets sets, InheritableRule rule) {
        List<String> violations = new ArrayList<>();
        requireInside(violations, sets, EFFECTIVE, PERMITTED, "effective must be a subset of permitted");
        String ambientRule = "ambient must be a subset of permitted and inheritable";
        requireInside(violations, sets, AMBIENT, PERMITTED, ambientRule);
        requireInside(violations, sets, AMBIENT, INHERITABLE, ambientRule);
        for (CapabilitySetKind kind : List.of(PERMITTED, EFFECTIVE, INHERITABLE, AMBIENT)) {
            requireInside(violations, sets, kind, BOUNDING, "no set may hold a capability outside bounding");
        }
        if (rule == InheritableRule.EQUALS_AMBIENT) {
            requireInside(violations, sets, INHERITABLE, AMBIENT,
                    "inheritable holds only what ambient needs (CVE-2022-29162); a profile that means more must allow it explicitly");
        }
        return List.copyOf(violations);
    }

    private static void requireInside(
            List<String> violations, CapabilitySets sets, CapabilitySetKind inner, CapabilitySetKind outer, String rule) {
        for (String name : sets.get(inner).minus(sets.get(outer)).names()) {
            violations.add(inner.label() + ": " + name + " is not in " + outer.label() + " (" + rule + ")");
        }
    }
}
