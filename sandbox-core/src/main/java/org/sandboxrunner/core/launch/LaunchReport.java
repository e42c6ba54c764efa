package org.sandboxrunner.core.launch;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything the native stage reported for one run.
 *
 * @param steps         the steps that completed, in order
 * @param failure       the step that failed, if one did (then the workload never ran)
 * @param state         the read-back state, when the stage got that far
 * @param exit          the workload's end, when it was exec'd and reaped
 * @param wallMicros    from exec to the end of the sandbox's init
 * @param outputBytes   stdout plus stderr bytes the workload wrote (counted past any cap)
 * @param limit         why the supervisor killed the run: wall, cpu, output, runner-gone, or cpu-watch
 *                      (the cgroup's CPU usage could not be read, so the CPU limit could not be enforced)
 * @param helperStatus  the native stage's own exit status (0 when it ran to the end)
 * @param differences   where the state read back before exec differed from the plan; the run was
 *                      stopped before exec (step verify-state) when this is not empty
 * @param gateMicros    what the gate cost the run: from the end of the reported state until the init
 *                      confirmed the runner's answer (the comparison plus the round trip through the helper)
 * @param denied        the syscalls the supervisor refused for the seccomp filter, one per distinct
 *                      (architecture, number, action), in the order first seen
 * @param deniedDropped refusals not itemised because the supervisor's table of distinct entries was full
 */
public record LaunchReport(List<String> steps, Optional<StepFailure> failure, Optional<ObservedState> state,
        Optional<WorkloadExit> exit, OptionalLong wallMicros, long outputBytes, Optional<String> limit,
        int helperStatus, List<StateDifference> differences, OptionalLong gateMicros, List<DeniedEvent> denied,
        long deniedDropped) {

    public LaunchReport {
        steps = List.copyOf(steps);
        differences = List.copyOf(differences);
        denied = List.copyOf(denied);
    }
}
