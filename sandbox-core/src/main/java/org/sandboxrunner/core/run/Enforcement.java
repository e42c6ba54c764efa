package org.sandboxrunner.core.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.sandboxrunner.core.launch.CapabilityPlan;
import org.sandboxrunner.core.launch.CpuWatch;

/**
 * The parts of a plan that other stages computed before the child exists: the capability bitmaps, the
 * compiled seccomp filter, the run's cgroup, the verified image, the profile's own seccomp program
 * when the run reports denied syscalls, and the helper's descriptor of the box overlay over a host work
 * directory (a root runner's), moved to the box instead of binding the work directory.
 */
record Enforcement(CapabilityPlan capabilities, Optional<byte[]> seccomp, int seccompFlags, List<Path> cgroupProcs,
        Optional<CpuWatch> cpu, Optional<ImageRoot> image, Optional<byte[]> seccompReport, OptionalInt boxFd) {

    Enforcement {
        cgroupProcs = List.copyOf(cgroupProcs);
    }
}
