package org.sandboxrunner.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.sandboxrunner.core.launch.LaunchReport;
import org.sandboxrunner.core.launch.WorkloadExit;

/** Verdicts decided from what the native stage reported, without running anything. */
class VerdictTest {

    private static LaunchReport report(Optional<WorkloadExit> exit, String limit) {
        return new LaunchReport(List.of("exec"), Optional.empty(), Optional.empty(), exit, OptionalLong.of(1000), 0,
                Optional.ofNullable(limit), 0, List.of(), 0);
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
}
