package org.sandboxrunner.core.batch;

import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;
import org.sandboxrunner.core.run.Status;

/** Counts a batch's finished jobs by verdict, for a progress display. Thread-safe. */
public final class BatchProgress {
    private final int total;
    private final long startNanos;
    private final EnumMap<Status, Integer> counts = new EnumMap<>(Status.class);
    private int done;

    public BatchProgress(int total, long startNanos) {
        if (total < 0) {
            throw new IllegalArgumentException("total must not be negative, got " + total);
        }
        this.total = total;
        this.startNanos = startNanos;
    }

    public synchronized void record(Status status) {
        counts.merge(status, 1, Integer::sum);
        done++;
    }

    public synchronized Snapshot snapshot(long nowNanos) {
        return new Snapshot(total, done, Math.max(0, nowNanos - startNanos), counts);
    }

    /** The state at one moment: how many of how many, since when, and how many per verdict. */
    public record Snapshot(int total, int done, long elapsedNanos, Map<Status, Integer> counts) {
        public Snapshot {
            if (done < 0 || done > total) {
                throw new IllegalArgumentException("done " + done + " is not within 0.." + total);
            }
            counts = counts.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(counts));
        }

        /** Finished jobs per second since the start (0 before any time has passed). */
        public double runsPerSecond() {
            return elapsedNanos == 0 ? 0 : done * 1e9 / elapsedNanos;
        }

        /** Seconds until all are done at the rate so far; empty before the first job finished. */
        public OptionalLong etaSeconds() {
            if (done == 0) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Math.round((total - done) / runsPerSecond()));
        }
    }
}
