package org.sandboxrunner.core.run;

import java.util.List;
import org.sandboxrunner.core.launch.ObservedState;
import org.sandboxrunner.core.launch.StateDifference;

/**
 * What a result carries of the state read back before exec: its SHA-256 (over
 * {@link ObservedState#canonicalText()}), the mount table's size and hash, and where the state
 * differed from the plan (empty when it was equal, which is the only way a workload starts).
 */
public record StateProof(String sha256, int mountCount, String mountTableSha256, List<String> differences) {

    public StateProof {
        differences = List.copyOf(differences);
    }

    public static StateProof of(ObservedState s, List<StateDifference> differences) {
        return new StateProof(s.sha256(), s.mounts().size(), s.mountTableSha256(),
                differences.stream().map(StateDifference::toString).toList());
    }
}
