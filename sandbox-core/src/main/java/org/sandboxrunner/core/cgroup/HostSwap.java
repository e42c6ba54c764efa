package org.sandboxrunner.core.cgroup;

import java.nio.file.Path;

/**
 * Whether a missing swap-limit file matters. Without swap accounting (v1 kernels booted with
 * swapaccount=0 have no memory.memsw.*; v2 kernels without CONFIG_MEMCG_SWAP no memory.swap.max) the
 * swap limit cannot be written. That is harmless when no swap is active, since nothing can be
 * swapped out; with active swap it would let the run exceed its limit, so it is refused.
 */
final class HostSwap {
    private HostSwap() {}

    static void requireNoSwapWithout(HostView host, Path missingFile) throws CgroupException {
        String swaps = host.read("/proc/swaps");
        // The first line is the header; every other line is an active swap area (proc(5)).
        long active = swaps.lines().skip(1).filter(line -> !line.isBlank()).count();
        if (active > 0) {
            throw new CgroupException("cannot limit swap: " + missingFile + " does not exist (this kernel does no"
                    + " swap accounting) and " + active + " swap area(s) are active in /proc/swaps; turn swap off"
                    + " or enable swap accounting");
        }
    }
}
