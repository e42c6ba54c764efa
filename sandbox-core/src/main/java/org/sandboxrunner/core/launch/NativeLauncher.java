package org.sandboxrunner.core.launch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.sandboxrunner.core.nativeio.Fd;
import org.sandboxrunner.core.nativeio.NativeException;
import org.sandboxrunner.core.nativeio.Pipe;
import org.sandboxrunner.core.nativeio.Posix;

/**
 * Runs one plan through the native stage and collects its report. Thread-safe: each launch has its
 * own pipes, all close-on-exec, and posix_spawn closes every other descriptor in the child, so
 * concurrent launches never leak descriptors into each other.
 */
public final class NativeLauncher {
    private static final int EPIPE = 32;

    private final Path helper;
    /** The write ends of the lifelines of the launches under way, for {@link #stopAll()}. */
    private final Set<Fd> lifelines = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    public NativeLauncher(Path helper) {
        this.helper = helper;
    }

    /**
     * Ends every launch under way and every later one: closing a lifeline's write end is what the
     * native stage takes for the runner's death, so it kills its run's pid namespace and reports.
     * Each {@link #launch} then returns as usual. For a runner asked to stop (SIGINT, SIGTERM).
     */
    public void stopAll() {
        stopping = true;
        lifelines.forEach(Fd::close);
    }

    public static NativeLauncher verified() {
        return new NativeLauncher(HelperBinary.verified());
    }

    public LaunchReport launch(LaunchPlan plan, Stdio stdio) {
        byte[] encoded = PlanEncoder.encode(plan);
        try (Pipe planPipe = Posix.pipe(); Pipe report = Posix.pipe(); Pipe lifeline = Posix.pipe()) {
            int pid = Posix.spawn(helper.toString(), List.of(HelperBinary.FILE_NAME), Map.of(
                    0, stdio.in(), 1, stdio.out(), 2, stdio.err(),
                    3, planPipe.readEnd(), 4, report.writeEnd(), 5, lifeline.readEnd()));
            // Keep only our ends: EOF on the report pipe must mean the helper is done, and the
            // lifeline's write end, held until this method returns, is what tells the helper we live.
            planPipe.readEnd().close();
            report.writeEnd().close();
            lifeline.readEnd().close();
            lifelines.add(lifeline.writeEnd());
            if (stopping) {
                lifeline.writeEnd().close();
            }
            try {
                Posix.writeAll(planPipe.writeEnd(), encoded);
            } catch (NativeException e) {
                if (e.errno() != EPIPE) {
                    throw e;
                }
                // The helper stopped reading: it has reported why.
            }
            planPipe.writeEnd().close();
            ReportParser parser = new ReportParser();
            readLines(report.readEnd(), parser);
            int status = Posix.waitFor(pid);
            int helperStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
            return parser.finish(helperStatus);
        } finally {
            lifelines.removeIf(fd -> !fd.isOpen());
        }
    }

    private static void readLines(Fd fd, ReportParser parser) {
        byte[] buf = new byte[8192];
        StringBuilder pending = new StringBuilder();
        int n;
        while ((n = Posix.read(fd, buf)) > 0) {
            pending.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            int nl;
            while ((nl = pending.indexOf("\n")) >= 0) {
                parser.accept(pending.substring(0, nl));
                pending.delete(0, nl + 1);
            }
        }
    }
}
