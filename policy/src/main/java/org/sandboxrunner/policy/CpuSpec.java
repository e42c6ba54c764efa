package org.sandboxrunner.policy;

import java.util.Optional;
import java.util.OptionalLong;

/** OCI {@code linux.resources.cpu}: CFS bandwidth, shares and cpuset. */
public record CpuSpec(
        OptionalLong quota,
        OptionalLong period,
        OptionalLong shares,
        Optional<String> cpus,
        Optional<String> mems) {

    public CpuSpec {
        Checks.required(quota, "linux.resources.cpu.quota");
        Checks.required(period, "linux.resources.cpu.period");
        Checks.required(shares, "linux.resources.cpu.shares");
        Checks.required(cpus, "linux.resources.cpu.cpus");
        Checks.required(mems, "linux.resources.cpu.mems");
        quota.ifPresent(v -> Checks.positive(v, "linux.resources.cpu.quota"));
        period.ifPresent(v -> Checks.positive(v, "linux.resources.cpu.period"));
        shares.ifPresent(v -> Checks.positive(v, "linux.resources.cpu.shares"));
        if (quota.isPresent() != period.isPresent()) {
            throw new IllegalArgumentException("linux.resources.cpu.quota and period go together");
        }
    }
}
