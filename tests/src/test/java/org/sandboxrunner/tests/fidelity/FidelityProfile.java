package org.sandboxrunner.tests.fidelity;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.sandboxrunner.capabilities.CapabilitySet;
import org.sandboxrunner.capabilities.CapabilitySets;
import org.sandboxrunner.capabilities.CapabilityState;
import org.sandboxrunner.capabilities.SecureBits;
import org.sandboxrunner.policy.IdMapping;
import org.sandboxrunner.policy.RlimitSpec;

/**
 * A valid profile made by the property test: what it changes in {@code default}, and the YAML that
 * says it. The capability sets are a {@link CapabilityState} (so they keep its rules), the ids lie
 * inside the mappings, and every rlimit lies within what the runner itself may set.
 */
record FidelityProfile(CapabilityState capabilities, long uid, long gid, int umask, List<Long> additionalGids,
        List<IdMapping> uidMappings, List<IdMapping> gidMappings, List<RlimitSpec> rlimits) {

    FidelityProfile {
        additionalGids = List.copyOf(additionalGids);
        uidMappings = List.copyOf(uidMappings);
        gidMappings = List.copyOf(gidMappings);
        rlimits = List.copyOf(rlimits);
    }

    CapabilitySets sets() {
        return capabilities.sets();
    }

    SecureBits securebits() {
        return capabilities.securebits();
    }

    Optional<RlimitSpec> rlimit(String type) {
        return rlimits.stream().filter(r -> r.type().equals(type)).findFirst();
    }

    /** The profile as a user would write it: {@code extends: default}, loosened, with this record's fields. */
    String yaml() {
        CapabilitySets s = sets();
        return String.join("\n",
                "apiVersion: sandbox-runner/v1",
                "name: fidelity",
                "extends: default",
                "loosen: true                     # grants capabilities, raises or leaves out rlimits",
                "process:",
                "  user: {uid: " + uid + ", gid: " + gid + ", umask: \"" + String.format(Locale.ROOT, "0%03o", umask)
                        + "\", additionalGids: " + additionalGids + "}",
                "  capabilities:",
                "    bounding: " + names(s.bounding()),
                "    permitted: " + names(s.permitted()),
                "    effective: " + names(s.effective()),
                "    inheritable: " + names(s.inheritable()),
                "    ambient: " + names(s.ambient()),
                "  securebits: " + securebits().names(),
                "  rlimits: [" + rlimits.stream().map(FidelityProfile::rlimit).collect(Collectors.joining(", ")) + "]",
                "linux:",
                "  uidMappings: " + mappings(uidMappings),
                "  gidMappings: " + mappings(gidMappings),
                "");
    }

    private static String names(CapabilitySet set) {
        return set.names().toString();
    }

    private static String rlimit(RlimitSpec r) {
        return "{type: " + r.type() + ", soft: " + RlimitSpec.describe(r.soft()) + ", hard: " + RlimitSpec.describe(r.hard()) + "}";
    }

    private static String mappings(List<IdMapping> maps) {
        return maps.stream().map(m -> "{containerID: " + m.containerId() + ", hostID: " + m.hostId() + ", size: " + m.size() + "}")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** jqwik shows the failing sample with this: the profile itself. */
    @Override
    public String toString() {
        return "\n" + yaml();
    }
}
