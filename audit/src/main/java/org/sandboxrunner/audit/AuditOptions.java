package org.sandboxrunner.audit;

import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.sandboxrunner.audit.note.NoteSigner;

/**
 * How an {@link AuditLog} writes. Built with {@link #builder(String, String)}; immutable.
 */
public final class AuditOptions {

    /** Default cadence: a checkpoint every 100 events or 60 seconds, whichever comes first. */
    public static final int DEFAULT_CHECKPOINT_EVENTS = 100;
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(60);

    private final String origin;
    private final String runnerVersion;
    private final NoteSigner signer;
    private final int checkpointEvents;
    private final Duration checkpointInterval;
    private final FsyncPolicy fsync;
    private final TornTailPolicy tornTail;
    private final Clock clock;
    private final OutputStream mirror;

    private AuditOptions(Builder builder) {
        this.origin = builder.origin;
        this.runnerVersion = builder.runnerVersion;
        this.signer = builder.signer;
        this.checkpointEvents = builder.checkpointEvents;
        this.checkpointInterval = builder.checkpointInterval;
        this.fsync = builder.fsync;
        this.tornTail = builder.tornTail;
        this.clock = builder.clock;
        this.mirror = builder.mirror;
    }

    /**
     * @param origin the log's identity: first line of every checkpoint and anchor of line 0's
     *        {@code prev}. tlog-checkpoint recommends a schema-less URL such as
     *        {@code grader.example.org/audit}, and the signing key's name should be the same.
     * @param runnerVersion written in every event's actor
     */
    public static Builder builder(String origin, String runnerVersion) {
        return new Builder(origin, runnerVersion);
    }

    public String origin() {
        return origin;
    }

    public String runnerVersion() {
        return runnerVersion;
    }

    /** The checkpoint signing key; empty means a hash chain only, no checkpoints. */
    public Optional<NoteSigner> signer() {
        return Optional.ofNullable(signer);
    }

    public int checkpointEvents() {
        return checkpointEvents;
    }

    public Duration checkpointInterval() {
        return checkpointInterval;
    }

    public FsyncPolicy fsync() {
        return fsync;
    }

    public TornTailPolicy tornTail() {
        return tornTail;
    }

    public Clock clock() {
        return clock;
    }

    /** Where each appended line is copied too (for example stdout in a container), if anywhere. */
    public Optional<OutputStream> mirror() {
        return Optional.ofNullable(mirror);
    }

    /** Collects options; every setter validates at once. */
    public static final class Builder {
        private final String origin;
        private final String runnerVersion;
        private NoteSigner signer;
        private int checkpointEvents = DEFAULT_CHECKPOINT_EVENTS;
        private Duration checkpointInterval = DEFAULT_CHECKPOINT_INTERVAL;
        private FsyncPolicy fsync = FsyncPolicy.EVERY_EVENT;
        private TornTailPolicy tornTail = TornTailPolicy.QUARANTINE;
        private Clock clock = Clock.systemUTC();
        private OutputStream mirror;

        private Builder(String origin, String runnerVersion) {
            if (origin == null || origin.isBlank() || !origin.strip().equals(origin)
                    || origin.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("log origin \"" + origin
                        + "\" must be non-empty, without control characters or surrounding spaces");
            }
            if (runnerVersion == null || runnerVersion.isBlank()) {
                throw new IllegalArgumentException("runner version is missing");
            }
            this.origin = origin;
            this.runnerVersion = runnerVersion;
        }

        public Builder signer(NoteSigner value) {
            this.signer = Objects.requireNonNull(value, "signer");
            return this;
        }

        /** Checkpoint after {@code events} appended events or {@code interval} since the last one. */
        public Builder checkpointEvery(int events, Duration interval) {
            if (events < 1 || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("checkpoint cadence " + events + " events / " + interval
                        + " must be at least one event and a positive interval");
            }
            this.checkpointEvents = events;
            this.checkpointInterval = interval;
            return this;
        }

        public Builder fsync(FsyncPolicy value) {
            this.fsync = Objects.requireNonNull(value, "fsync");
            return this;
        }

        public Builder tornTail(TornTailPolicy value) {
            this.tornTail = Objects.requireNonNull(value, "tornTail");
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public Builder mirror(OutputStream value) {
            this.mirror = Objects.requireNonNull(value, "mirror");
            return this;
        }

        public AuditOptions build() {
            return new AuditOptions(this);
        }
    }
}
