package org.sandboxrunner.core.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.sandboxrunner.core.launch.CapabilityPlan;
import org.sandboxrunner.core.launch.CpuWatch;

/**
 * The parts of a plan that other stages computed before the child exists: the capability bitmaps, the
 * compiled seccomp filter, the run's cgroup, the verified image and the profile's own seccomp program
 * when the run reports denied syscalls.
 */
record Enforcement(CapabilityPlan capabilities, Optional<byte[]> seccomp, int seccompFlags, List<Path> cgroupProcs,
        Optional<CpuWatch> cpu, Optional<ImageRoot> image, Optional<byte[]> seccompReport) {

    Enforcement {
        cgroupProcs = List.copyOf(cgroupProcs);
    }
}
