package org.sandboxrunner.capabilities;

import java.util.Objects;

/**
 * The five capability sets of a thread, as they are, with no rule about how they relate: what a
 * profile asks before validation ({@link CapabilityState} validates) or what the kernel shows
 * after setup ({@link ProcStatus}, or bitmaps the native stage reads back with {@code capget} and
 * {@code prctl}).
 */
public record CapabilitySets(
        CapabilitySet bounding,
        CapabilitySet permitted,
        CapabilitySet effective,
        CapabilitySet inheritable,
        CapabilitySet ambient) {

    public static final CapabilitySets NONE = new CapabilitySets(
            CapabilitySet.EMPTY, CapabilitySet.EMPTY, CapabilitySet.EMPTY, CapabilitySet.EMPTY, CapabilitySet.EMPTY);

    public CapabilitySets {
        Objects.requireNonNull(bounding, "bounding");
        Objects.requireNonNull(permitted, "permitted");
        Objects.requireNonNull(effective, "effective");
        Objects.requireNonNull(inheritable, "inheritable");
        Objects.requireNonNull(ambient, "ambient");
    }

    /** The sets from raw 64-bit bitmaps, e.g. as the native stage reports them. */
    public static CapabilitySets fromBitmaps(long bounding, long permitted, long effective, long inheritable, long ambient) {
        return new CapabilitySets(new CapabilitySet(bounding), new CapabilitySet(permitted),
                new CapabilitySet(effective), new CapabilitySet(inheritable), new CapabilitySet(ambient));
    }

    public CapabilitySet get(CapabilitySetKind kind) {
        return switch (kind) {
            case BOUNDING -> bounding;
            case PERMITTED -> permitted;
            case EFFECTIVE -> effective;
            case INHERITABLE -> inheritable;
            case AMBIENT -> ambient;
        };
    }

    /** Permitted, effective and inheritable: what one {@code capset(2)} call sets. */
    public CapsetSets capset() {
        return new CapsetSets(permitted, effective, inheritable);
    }
}
