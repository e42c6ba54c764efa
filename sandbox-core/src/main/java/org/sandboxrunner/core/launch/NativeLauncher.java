package org.sandboxrunner.core.launch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.sandboxrunner.core.nativeio.Fd;
import org.sandboxrunner.core.nativeio.NativeException;
import org.sandboxrunner.core.nativeio.Pipe;
import org.sandboxrunner.core.nativeio.Posix;

/**
 * Runs one plan through the native stage and collects its report. Thread-safe: each launch has its
 * own pipes, all close-on-exec, passed to its helper alone by a fork server that closes every other
 * descriptor in the helper, so concurrent launches never leak descriptors into each other. Fork
 * servers are kept in a pool, one per concurrent launch; {@link #close()} ends the idle ones.
 */
public final class NativeLauncher implements AutoCloseable {
    private static final int EPIPE = 32;

    /**
     * The first descriptor number free for mounts handed to the helper (0-5 are its own, helper.c);
     * a run's box overlay is passed there.
     */
    public static final int FIRST_INHERITED_FD = 6;

    private static final byte[] GO = {'g'}, NO_GO = {'n'};

    private final Path helper;
    private final StateComparison comparison;
    /** The write ends of the lifelines of the launches under way, for {@link #stopAll()}. */
    private final Set<Fd> lifelines = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    /** Fork servers not in use; a launch takes one (or starts one) and gives it back. */
    private final Deque<ForkServer> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    public NativeLauncher(Path helper) {
        this.helper = helper;
        this.comparison = StateComparison.forThisProcess();
    }

    /**
     * Ends every launch under way and every later one: closing a lifeline's write end is what the
     * native stage takes for the runner's death, so it kills its run's pid namespace and reports.
     * Each {@link #launch} then returns as usual. For a runner asked to stop (SIGINT, SIGTERM).
     */
    public void stopAll() {
        stopping = true;
        // Under the lifeline's lock: the gate's answer must never be written to a number that a
        // concurrent close freed and another open reused.
        lifelines.forEach(fd -> {
            synchronized (fd) {
                fd.close();
            }
        });
    }

    public static NativeLauncher verified() {
        return new NativeLauncher(HelperBinary.verified());
    }

    public LaunchReport launch(LaunchPlan plan, Stdio stdio) {
        return launch(plan, stdio, Map.of());
    }

    /**
     * Launches a plan whose INHERITED mounts name the helper descriptors in {@code mounts} (helper number
     * -> the runner's detached mount, which must be close-on-exec here): only the helper gets them, at
     * those numbers; the caller keeps and closes its own.
     */
    public LaunchReport launch(LaunchPlan plan, Stdio stdio, Map<Integer, Fd> mounts) {
        SortedSet<Integer> named = new TreeSet<>();
        plan.mounts().stream().filter(m -> m.kind() == MountOp.Kind.INHERITED).forEach(m -> named.add(m.inheritedFd()));
        if (!named.equals(new TreeSet<>(mounts.keySet()))) {
            throw new IllegalArgumentException("the plan's inherited mounts name descriptors " + named
                    + " but the launch passes " + new TreeSet<>(mounts.keySet()));
        }
        if (!named.isEmpty() && named.first() < FIRST_INHERITED_FD) {
            throw new IllegalArgumentException("inherited mount descriptors start at " + FIRST_INHERITED_FD + ": " + named);
        }
        byte[] encoded = PlanEncoder.encode(plan);
        // A server whose helper's status was not read cannot serve again; it is closed after the
        // pipes are (the lifeline's EOF is what ends that helper, and the server waits for it).
        ForkServer server = null;
        boolean answered = false;
        try {
            try (Pipe planPipe = Posix.pipe(); Pipe report = Posix.pipe(); Pipe lifeline = Posix.pipe()) {
                Map<Integer, Fd> fds = new HashMap<>(mounts);
                fds.putAll(Map.of(0, stdio.in(), 1, stdio.out(), 2, stdio.err(),
                        3, planPipe.readEnd(), 4, report.writeEnd(), 5, lifeline.readEnd()));
                server = startHelper(fds);
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
                readLines(report.readEnd(), parser, () -> answer(plan, parser, lifeline.writeEnd()));
                int status = server.awaitStatus();
                answered = true;
                int helperStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
                return parser.finish(helperStatus);
            } finally {
                lifelines.removeIf(fd -> !fd.isOpen());
            }
        } finally {
            if (server != null && answered) {
                giveBack(server);
            } else if (server != null) {
                server.close();
            }
        }
    }

    /**
     * Starts a helper with these descriptors from an idle server, or from a new one when there is none
     * or the idle one is gone (killed between launches: nothing was started, so trying again is safe).
     */
    private ForkServer startHelper(Map<Integer, Fd> fds) {
        ForkServer pooled = idle.poll();
        if (pooled != null) {
            if (pooled.startHelper(fds)) {
                return pooled;
            }
            pooled.close();
        }
        ForkServer fresh = ForkServer.start(helper);
        if (!fresh.startHelper(fds)) {
            fresh.close();
            throw new IllegalStateException("the native stage server " + helper + " ended at once");
        }
        return fresh;
    }

    private void giveBack(ForkServer server) {
        idle.push(server);
        if (closed) {
            drain();
        }
    }

    /** The process ids of the idle fork servers, most recently used first. */
    List<Integer> idleServerPids() {
        return idle.stream().map(ForkServer::pid).toList();
    }

    /** Ends the idle fork servers, and each busy one when its launch ends. */
    @Override
    public void close() {
        closed = true;
        drain();
    }

    private void drain() {
        for (ForkServer s = idle.poll(); s != null; s = idle.poll()) {
            s.close();
        }
    }

    /**
     * The gate: once the init has reported its state and waits, compares it with the plan and answers
     * through the lifeline, which the helper relays to the init. Any difference stops the run before
     * exec; the differences go into the report.
     */
    private void answer(LaunchPlan plan, ReportParser parser, Fd lifeline) {
        List<StateDifference> differences = comparison.compare(plan, parser.stateBeforeExec().orElseThrow());
        parser.answered(differences);
        try {
            synchronized (lifeline) {
                if (lifeline.isOpen()) { // closed by stopAll: the helper kills the run on that EOF
                    Posix.writeAll(lifeline, differences.isEmpty() ? GO : NO_GO);
                }
            }
        } catch (NativeException e) {
            if (e.errno() != EPIPE) {
                throw e;
            }
            // The helper is gone: it has reported why.
        }
    }

    private static void readLines(Fd fd, ReportParser parser, Runnable onState) {
        byte[] buf = new byte[8192];
        StringBuilder pending = new StringBuilder();
        int n;
        while ((n = Posix.read(fd, buf)) > 0) {
            pending.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            int nl;
            while ((nl = pending.indexOf("\n")) >= 0) {
                boolean waiting = parser.stateReported();
                parser.accept(pending.substring(0, nl));
                pending.delete(0, nl + 1);
                if (!waiting && parser.stateReported()) {
                    onState.run();
                }
            }
        }
    }
}
