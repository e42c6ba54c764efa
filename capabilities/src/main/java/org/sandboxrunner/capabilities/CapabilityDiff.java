package org.sandboxrunner.capabilities;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The differences between the capability state a profile asks for and the one the kernel holds,
 * one per capability or securebit: set by set (then the securebits), the unexpected ones before
 * the missing ones, each by number. Empty means the kernel holds
 * exactly what was asked; the runner's proof of state refuses to exec otherwise.
 */
public record CapabilityDiff(List<Difference> differences) {

    /** What is wrong with one capability or securebit. */
    public enum Direction {
        /** The kernel holds it; the profile does not ask for it. */
        UNEXPECTED,
        /** The profile asks for it; the kernel does not hold it. */
        MISSING
    }

    /**
     * @param where the set ("effective") or "securebits"
     * @param item the capability ({@code CAP_KILL}, or its number when unnamed) or securebit ({@code keep_caps})
     */
    public record Difference(String where, String item, Direction direction) {
        public Difference {
            Objects.requireNonNull(where, "where");
            Objects.requireNonNull(item, "item");
            Objects.requireNonNull(direction, "direction");
        }

        /** E.g. "effective: has CAP_NET_ADMIN, profile does not grant it". */
        public String sentence() {
            boolean securebit = where.equals("securebits");
            return where + ": " + switch (direction) {
                case UNEXPECTED -> "has " + item + ", profile does not " + (securebit ? "set" : "grant") + " it";
                case MISSING -> "lacks " + item + ", which the profile " + (securebit ? "sets" : "grants");
            };
        }
    }

    public CapabilityDiff {
        differences = List.copyOf(differences);
    }

    /** Compares all five sets and the securebits. */
    public static CapabilityDiff between(CapabilityState expected, CapabilitySets observed, SecureBits observedSecurebits) {
        List<Difference> differences = new ArrayList<>(betweenSets(expected.sets(), observed).differences());
        List<String> expectedBits = expected.securebits().names();
        List<String> observedBits = observedSecurebits.names();
        compare(differences, "securebits", expectedBits, observedBits);
        return new CapabilityDiff(differences);
    }

    /**
     * Compares only the five sets: for a view that cannot see securebits, such as the
     * {@code /proc/PID/status} of a workload (see {@link ProcStatus}).
     */
    public static CapabilityDiff betweenSets(CapabilitySets expected, CapabilitySets observed) {
        List<Difference> differences = new ArrayList<>();
        for (CapabilitySetKind kind : CapabilitySetKind.values()) {
            compare(differences, kind.label(), expected.get(kind).names(), observed.get(kind).names());
        }
        return new CapabilityDiff(differences);
    }

    private static void compare(List<Difference> out, String where, List<String> expected, List<String> observed) {
        for (String item : observed) {
            if (!expected.contains(item)) {
                out.add(new Difference(where, item, Direction.UNEXPECTED));
            }
        }
        for (String item : expected) {
            if (!observed.contains(item)) {
                out.add(new Difference(where, item, Direction.MISSING));
            }
        }
    }

    public boolean isEmpty() {
        return differences.isEmpty();
    }

    /** One sentence per difference, for the run's result, audit event and error message. */
    public List<String> sentences() {
        return differences.stream().map(Difference::sentence).toList();
    }
}
