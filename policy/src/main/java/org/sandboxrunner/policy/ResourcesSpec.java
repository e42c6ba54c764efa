package org.sandboxrunner.policy;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * OCI {@code linux.resources}, the subset this runner enforces through cgroups. An empty value
 * means "no limit".
 *
 * @param memoryLimitBytes {@code memory.limit}
 * @param memorySwapBytes  {@code memory.swap}: memory plus swap, as in OCI; equal to the memory
 *                         limit (the default) means no swap
 * @param pidsLimit        {@code pids.limit}
 * @param cpu              {@code cpu}
 * @param blockIoWeight    {@code blockIO.weight} (10..1000)
 */
public record ResourcesSpec(
        OptionalLong memoryLimitBytes,
        OptionalLong memorySwapBytes,
        OptionalLong pidsLimit,
        Optional<CpuSpec> cpu,
        OptionalLong blockIoWeight) {

    public ResourcesSpec {
        Checks.required(memoryLimitBytes, "linux.resources.memory.limit");
        Checks.required(memorySwapBytes, "linux.resources.memory.swap");
        Checks.required(pidsLimit, "linux.resources.pids.limit");
        Checks.required(cpu, "linux.resources.cpu");
        Checks.required(blockIoWeight, "linux.resources.blockIO.weight");
        memoryLimitBytes.ifPresent(v -> Checks.positive(v, "linux.resources.memory.limit"));
        pidsLimit.ifPresent(v -> Checks.positive(v, "linux.resources.pids.limit"));
        if (memorySwapBytes.isPresent()) {
            if (memoryLimitBytes.isEmpty()) {
                throw new IllegalArgumentException("linux.resources.memory.swap needs memory.limit");
            }
            if (memorySwapBytes.getAsLong() < memoryLimitBytes.getAsLong()) {
                throw new IllegalArgumentException("linux.resources.memory.swap (memory plus swap) must be at least memory.limit");
            }
        }
        blockIoWeight.ifPresent(w -> {
            if (w < 10 || w > 1000) {
                throw new IllegalArgumentException("linux.resources.blockIO.weight must be between 10 and 1000, got " + w);
            }
        });
    }

    public static ResourcesSpec unlimited() {
        return new ResourcesSpec(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
                Optional.empty(), OptionalLong.empty());
    }
}
