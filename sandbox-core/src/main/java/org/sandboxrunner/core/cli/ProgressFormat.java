package org.sandboxrunner.core.cli;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.StringJoiner;
import org.sandboxrunner.core.batch.BatchProgress.Snapshot;
import org.sandboxrunner.core.run.Status;

/** The words of {@code sandbox batch}'s progress: a bar redrawn in place on a terminal, plain lines otherwise. */
final class ProgressFormat {
    static final int BAR_WIDTH = 24;

    private ProgressFormat() {}

    /** One terminal line, redrawn in place: carriage return first, then erase to the end of the line (ECMA-48 EL). */
    static String bar(Snapshot s) {
        int filled = s.total() == 0 ? BAR_WIDTH : (int) ((long) s.done() * BAR_WIDTH / s.total());
        return "\r[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + s.done() + "/" + s.total()
                + " " + percent(s) + "  " + rate(s) + "  ETA " + eta(s.etaSeconds()) + counts(s, "  ", "  ") + "\033[K";
    }

    /** One line for a log: {@code batch: 120/1000 done (12%), 95.3 runs/s, ETA 0:09; OK 118, RE 1, XX 1}. */
    static String line(Snapshot s) {
        return "batch: " + s.done() + "/" + s.total() + " done (" + percent(s) + "), " + rate(s) + ", ETA "
                + eta(s.etaSeconds()) + counts(s, "; ", ", ");
    }

    private static String percent(Snapshot s) {
        return (s.total() == 0 ? 100 : (int) ((long) s.done() * 100 / s.total())) + "%";
    }

    private static String rate(Snapshot s) {
        return String.format(Locale.ROOT, "%.1f runs/s", s.runsPerSecond());
    }

    static String eta(OptionalLong seconds) {
        if (seconds.isEmpty()) {
            return "-:--";
        }
        long t = seconds.getAsLong();
        return t >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
                : String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
    }

    /** The verdicts seen so far, in the order {@link Status} lists them; nothing before the first. */
    private static String counts(Snapshot s, String lead, String between) {
        StringJoiner j = new StringJoiner(between, lead, "").setEmptyValue("");
        for (Status status : Status.values()) {
            Integer n = s.counts().get(status);
            if (n != null) {
                j.add(status + " " + n);
            }
        }
        return j.toString();
    }
}
