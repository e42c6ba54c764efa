package org.sandboxrunner.capabilities;

import java.util.List;

/**
 * Capability lists in the OCI runtime spec's form ({@code process.capabilities.bounding} and the
 * other four): JSON arrays of names such as {@code ["CAP_KILL", "CAP_NET_BIND_SERVICE"]}. The
 * rendering is {@link CapabilitySet#names()}.
 */
public final class OciCapabilities {
    private OciCapabilities() {
    }

    /**
     * The set a list of capability names gives on this kernel.
     *
     * @param where where the list is, for messages, e.g. "process.capabilities.ambient"
     * @throws CapabilityException naming the entry's index for an unknown name (with the closest
     *     valid ones), a name this kernel does not support, or a repeated name
     */
    public static CapabilitySet parse(List<String> names, KernelCapabilities kernel, String where) {
        return new CapabilitySet(NameLists.combine(names, where, name -> kernel.require(Capability.fromName(name)).mask()));
    }
}
