package org.sandboxrunner.core.run;

import org.sandboxrunner.capabilities.CapabilitySets;
import org.sandboxrunner.capabilities.CapabilityState;
import org.sandboxrunner.capabilities.KernelCapabilities;
import org.sandboxrunner.capabilities.OciCapabilities;
import org.sandboxrunner.capabilities.SecureBits;
import org.sandboxrunner.core.launch.CapabilityPlan;
import org.sandboxrunner.policy.CapabilitiesSpec;
import org.sandboxrunner.policy.Profile;

/**
 * The profile's capability sets and securebits as the bitmaps the native stage applies, checked
 * against the running kernel (a name it does not know refuses the run) and against the rules of
 * {@link CapabilityState} (effective within permitted, ambient within permitted and inheritable,
 * everything within bounding, inheritable no wider than ambient needs).
 */
final class CapabilityResolver {
    private CapabilityResolver() {}

    static CapabilityPlan resolve(Profile p, KernelCapabilities kernel) {
        CapabilitiesSpec c = p.process().capabilities();
        String at = "process.capabilities.";
        CapabilitySets sets = new CapabilitySets(
                OciCapabilities.parse(c.bounding(), kernel, at + "bounding"),
                OciCapabilities.parse(c.permitted(), kernel, at + "permitted"),
                OciCapabilities.parse(c.effective(), kernel, at + "effective"),
                OciCapabilities.parse(c.inheritable(), kernel, at + "inheritable"),
                OciCapabilities.parse(c.ambient(), kernel, at + "ambient"));
        SecureBits bits = SecureBits.parse(p.process().securebits(), "process.securebits");
        CapabilityState state = CapabilityState.of(sets, bits);
        return new CapabilityPlan(state.sets().bounding().bits(), state.sets().permitted().bits(),
                state.sets().effective().bits(), state.sets().inheritable().bits(), state.sets().ambient().bits(),
                state.securebits().mask(), kernel.lastCap());
    }
}
