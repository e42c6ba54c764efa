package org.sandboxrunner.core.cgroup;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a run's leaf cgroup, {@code LABEL-PID-STARTTIME-SEQ}: it names the runner that owns
 * it (pid and start time, see {@link ProcessIdentity}) so that a later runner can tell a leaf left
 * by a dead runner from one of a live runner without any other shared state.
 *
 * @param label what the leaf is for ("run", or "slot" for a reused worker slot)
 * @param owner the runner process that created it
 * @param seq   a number unique within that runner
 */
record LeafName(String label, ProcessIdentity owner, long seq) {
    static final Pattern LABEL = Pattern.compile("[a-z][a-z0-9]{0,15}");
    private static final Pattern NAME = Pattern.compile("([a-z][a-z0-9]{0,15})-([0-9]{1,19})-([0-9]{1,19})-([0-9]{1,19})");
    /** One counter per JVM, so that two CgroupSystem instances never pick the same name. */
    private static final AtomicLong SEQ = new AtomicLong();

    LeafName {
        Objects.requireNonNull(owner, "owner");
        requireLabel(label);
        if (seq < 0) {
            throw new IllegalArgumentException("leaf seq must not be negative, got " + seq);
        }
    }

    static LeafName next(String label, ProcessIdentity owner) {
        return new LeafName(label, owner, SEQ.incrementAndGet());
    }

    static void requireLabel(String label) {
        Objects.requireNonNull(label, "label");
        if (!LABEL.matcher(label).matches()) {
            throw new IllegalArgumentException("cgroup leaf label must be a lower-case letter followed by up to 15"
                    + " lower-case letters or digits, got '" + label + "'");
        }
    }

    /** The leaf this directory name encodes; empty for a name this runner did not make. */
    static Optional<LeafName> parse(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(m.group(2));
            long start = Long.parseLong(m.group(3));
            long seq = Long.parseLong(m.group(4));
            if (pid == 0) {
                return Optional.empty();
            }
            return Optional.of(new LeafName(m.group(1), new ProcessIdentity(pid, start), seq));
        } catch (NumberFormatException e) {
            return Optional.empty(); // 19 digits above Long.MAX_VALUE: not one of ours
        }
    }

    @Override
    public String toString() {
        return label + "-" + owner.pid() + "-" + owner.startTime() + "-" + seq;
    }
}
