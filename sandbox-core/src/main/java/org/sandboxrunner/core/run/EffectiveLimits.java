package org.sandboxrunner.core.run;

import java.util.OptionalLong;
import org.sandboxrunner.policy.Profile;
import org.sandboxrunner.policy.ResourcesSpec;

/** The limits a run gets: the profile's, with the request's overrides applied. */
public record EffectiveLimits(OptionalLong cpuTimeMs, OptionalLong wallTimeMs, OptionalLong memoryBytes,
        OptionalLong swapBytes, OptionalLong pids, OptionalLong outputBytes) {

    public static EffectiveLimits of(Profile p, LimitOverrides o) {
        OptionalLong memory = first(o.memoryBytes(), p.linux().resources().memoryLimitBytes());
        // OCI memory.swap is memory plus swap; when the caller changes the memory limit the profile's
        // swap allowance (swap - memory) is kept, so "no swap" stays no swap.
        OptionalLong swap = p.linux().resources().memorySwapBytes();
        if (o.memoryBytes().isPresent() && swap.isPresent()) {
            long extra = swap.getAsLong() - p.linux().resources().memoryLimitBytes().getAsLong();
            swap = OptionalLong.of(o.memoryBytes().getAsLong() + extra);
        }
        return new EffectiveLimits(first(o.cpuTimeMs(), p.limits().cpuTimeMs()),
                first(o.wallTimeMs(), p.limits().wallTimeMs()), memory, swap,
                first(o.pids(), p.linux().resources().pidsLimit()),
                first(o.outputBytes(), p.limits().outputBytes()));
    }

    /** The profile's linux.resources with the effective memory, swap and pids limits. */
    public ResourcesSpec resources(Profile p) {
        ResourcesSpec r = p.linux().resources();
        return new ResourcesSpec(memoryBytes, swapBytes, pids, r.cpu(), r.blockIoWeight());
    }

    private static OptionalLong first(OptionalLong a, OptionalLong b) {
        return a.isPresent() ? a : b;
    }
}
