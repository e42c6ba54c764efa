package org.sandboxrunner.policy;

import java.util.List;

/** OCI {@code process.capabilities}: the five sets as capability names ({@code CAP_KILL}). */
public record CapabilitiesSpec(
        List<String> bounding,
        List<String> effective,
        List<String> inheritable,
        List<String> permitted,
        List<String> ambient) {

    public CapabilitiesSpec {
        bounding = Checks.list(bounding, "process.capabilities.bounding");
        effective = Checks.list(effective, "process.capabilities.effective");
        inheritable = Checks.list(inheritable, "process.capabilities.inheritable");
        permitted = Checks.list(permitted, "process.capabilities.permitted");
        ambient = Checks.list(ambient, "process.capabilities.ambient");
    }

    public static CapabilitiesSpec none() {
        return new CapabilitiesSpec(List.of(), List.of(), List.of(), List.of(), List.of());
    }
}
