package org.sandboxrunner.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.sandboxrunner.core.launch.DeniedEvent;
import org.sandboxrunner.core.launch.LaunchReport;
import org.sandboxrunner.core.launch.WorkloadExit;

/** Verdicts decided from what the native stage reported, without running anything. */
class VerdictTest {

    private static LaunchReport report(Optional<WorkloadExit> exit, String limit) {
        return new LaunchReport(List.of("exec"), Optional.empty(), Optional.empty(), exit, OptionalLong.of(1000), 0,
                Optional.ofNullable(limit), 0, List.of(), OptionalLong.empty(), List.of(), 0);
    }

    @Test
    void anUnreadableCpuFigureStopsTheRunAsARunnerFailure() {
        Verdict v = Verdict.decide(report(Optional.empty(), "cpu-watch"), 0);
        assertEquals(Status.XX, v.status());
        assertEquals(125, v.cliExitCode());
    }

    @Test
    void anExitOf137ByItselfIsARuntimeErrorNotAMemoryVerdict() {
        Verdict v = Verdict.decide(report(Optional.of(new WorkloadExit(137 << 8, 0, 0, 0, 0, 0, 0, 0)), null), 0);
        assertEquals(Status.RE, v.status());
        assertEquals(137, v.cliExitCode());
    }

    @Test
    void anOomKillCountedByTheCgroupIsMle() {
        Verdict v = Verdict.decide(report(Optional.of(new WorkloadExit(9, 0, 0, 0, 0, 0, 0, 0)), null), 1);
        assertEquals(Status.MLE, v.status());
        assertEquals(137, v.cliExitCode());
    }

    private static LaunchReport denied(Optional<WorkloadExit> exit, String limit, DeniedEvent... events) {
        return new LaunchReport(List.of("exec"), Optional.empty(), Optional.empty(), exit, OptionalLong.of(1000), 0,
                Optional.ofNullable(limit), 0, List.of(), OptionalLong.empty(), List.of(events), 0);
    }

    @Test
    void aProcessTheSupervisorKilledForTheFiltersKillProcessIsScEvenUnderAnOomCount() {
        DeniedEvent kill = new DeniedEvent(0xc000003e, 161, DeniedEvent.KILL_PROCESS, 1, List.of(0L, 0L, 0L, 0L, 0L, 0L));
        Verdict v = Verdict.decide(denied(Optional.of(new WorkloadExit(9, 0, 0, 0, 0, 0, 0, 0)), null, kill), 1);
        assertEquals(Status.SC, v.status());
        assertEquals(137, v.cliExitCode());
        // A child killed while the main process went on to exit 0: still SC, the exit code passes through.
        Verdict child = Verdict.decide(denied(Optional.of(new WorkloadExit(0, 0, 0, 0, 0, 0, 0, 0)), null, kill), 0);
        assertEquals(Status.SC, child.status());
        assertEquals(0, child.cliExitCode());
    }

    @Test
    void refusalsWithAnErrnoDoNotChangeTheVerdict() {
        DeniedEvent errno = new DeniedEvent(0xc000003e, 435, 0x0005_0026, 3, List.of(0L, 0L, 0L, 0L, 0L, 0L));
        assertEquals(Status.OK, Verdict.decide(denied(Optional.of(new WorkloadExit(0, 0, 0, 0, 0, 0, 0, 0)), null, errno), 0)
                .status());
    }
}
