package org.sandboxrunner.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.sandboxrunner.core.batch.BatchProgress;
import org.sandboxrunner.core.run.Status;

class ProgressFormatTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void beforeAnyJobFinishedThereIsNoRateAndNoEta() {
        BatchProgress.Snapshot s = new BatchProgress(1000, 0).snapshot(0);
        assertEquals("batch: 0/1000 done (0%), 0.0 runs/s, ETA -:--", ProgressFormat.line(s));
        assertEquals("\r[........................] 0/1000 0%  0.0 runs/s  ETA -:--\033[K", ProgressFormat.bar(s));
    }

    @Test
    void countsRateEtaAndVerdictsInStatusOrder() {
        BatchProgress p = new BatchProgress(1000, 5 * SECOND);
        for (int i = 0; i < 118; i++) {
            p.record(Status.OK);
        }
        p.record(Status.XX);
        p.record(Status.RE);
        BatchProgress.Snapshot s = p.snapshot(5 * SECOND + 2 * SECOND);   // 120 in 2 s: 60 runs/s, 880 left
        assertEquals(60.0, s.runsPerSecond(), 1e-9);
        assertEquals(OptionalLong.of(15), s.etaSeconds());
        assertEquals("batch: 120/1000 done (12%), 60.0 runs/s, ETA 0:15; OK 118, RE 1, XX 1", ProgressFormat.line(s));
        assertEquals("\r[##......................] 120/1000 12%  60.0 runs/s  ETA 0:15  OK 118  RE 1  XX 1\033[K",
                ProgressFormat.bar(s));
    }

    @Test
    void aFinishedBatchFillsTheBar() {
        BatchProgress.Snapshot s = new BatchProgress.Snapshot(3, 3, 3 * SECOND / 2, Map.of(Status.TLE, 3));
        assertEquals("\r[########################] 3/3 100%  2.0 runs/s  ETA 0:00  TLE 3\033[K", ProgressFormat.bar(s));
        assertEquals("batch: 0/0 done (100%), 0.0 runs/s, ETA -:--",
                ProgressFormat.line(new BatchProgress(0, 0).snapshot(SECOND)));
    }

    @Test
    void etaIsMinutesAndSecondsOrHours() {
        assertEquals("0:59", ProgressFormat.eta(OptionalLong.of(59)));
        assertEquals("59:59", ProgressFormat.eta(OptionalLong.of(3599)));
        assertEquals("1:00:00", ProgressFormat.eta(OptionalLong.of(3600)));
        assertEquals("27:01:01", ProgressFormat.eta(OptionalLong.of(27 * 3600 + 61)));
    }

    @Test
    void aSnapshotIsConsistent() {
        assertEquals("done 4 is not within 0..3",
                assertThrows(IllegalArgumentException.class, () -> new BatchProgress.Snapshot(3, 4, 0, Map.of())).getMessage());
    }
}
