package org.sandboxrunner.capabilities;

import java.util.Objects;

/**
 * The three sets {@code capset(2)} writes in one call, and the three that libcap's text form
 * ({@code cap_kill,cap_net_bind_service+ep}, see {@link CapabilityText}) describes: permitted,
 * effective, inheritable.
 */
public record CapsetSets(CapabilitySet permitted, CapabilitySet effective, CapabilitySet inheritable) {
    public static final CapsetSets NONE = new CapsetSets(CapabilitySet.EMPTY, CapabilitySet.EMPTY, CapabilitySet.EMPTY);

    public CapsetSets {
        Objects.requireNonNull(permitted, "permitted");
        Objects.requireNonNull(effective, "effective");
        Objects.requireNonNull(inheritable, "inheritable");
    }
}
