package org.sandboxrunner.core.launch;

import java.util.List;
import java.util.Map;

/**
 * What the kernel held for the sandboxed process after the last privileged step, read back by the
 * native stage just before exec (the proof that the kernel state equals the plan).
 */
public record ObservedState(
        long bounding, long permitted, long effective, long inheritable, long ambient, int securebits,
        List<Long> uids, List<Long> gids, List<Long> groups, boolean noNewPrivs,
        Map<String, List<Long>> rlimits, Map<String, Long> namespaceInodes) {

    public ObservedState {
        uids = List.copyOf(uids);
        gids = List.copyOf(gids);
        groups = List.copyOf(groups);
        rlimits = Map.copyOf(rlimits);
        namespaceInodes = Map.copyOf(namespaceInodes);
    }
}
