package org.sandboxrunner.tests.escape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sandboxrunner.core.run.LimitOverrides;
import org.sandboxrunner.core.run.RunResult;
import org.sandboxrunner.core.run.Status;
import org.sandboxrunner.policy.Profile;
import org.sandboxrunner.policy.RlimitSpec;

/**
 * Resource attacks (issue 10), with short limits from the request. After each: the host answers a
 * probe within 100 ms, and no process of the run survives (every hostile process carries a marker the
 * test looks for in the host's /proc, zombies included).
 */
class ResourceExhaustionTest {
    @RegisterExtension
    static final EscapeLab lab = EscapeLab.with("res_forkbomb.c", "res_threadbomb.c", "res_membomb.c", "res_diskfill.c",
            "res_flood.c", "res_fds.c", "res_cpu.c", "res_linger.c");

    private static final long MIB = 1 << 20;
    /** Far more tasks than the pids limit below, and few enough to be harmless if nothing stops them. */
    private static final int TASKS = 200;
    private static final long PIDS = 32;

    /** A bounded fork bomb against pids.max 32. Outside it makes all of its children. */
    @EveryProfile
    void forkBombStopsAtThePidsLimit(String profile) {
        assertBombStopsAtThePidsLimit(profile, "res_forkbomb", "fork");
    }

    /** Threads are tasks too. Outside it starts all of them. */
    @EveryProfile
    void threadBombStopsAtThePidsLimit(String profile) {
        assertBombStopsAtThePidsLimit(profile, "res_threadbomb", "threads");
    }

    private void assertBombStopsAtThePidsLimit(String profile, String program, String step) {
        String marker = lab.newMarker();
        Outcome inside = lab.inside(profile).limits(limits(0, 10_000, 0, PIDS, 0)).run(program, n(TASKS), marker);
        inside.assertBlocked();
        inside.assertRefusedWith(step, "EAGAIN");
        assertHostRecovered(marker);
        lab.outsideOnce(program, n(TASKS)).assertWorked();
    }

    /** 192 MiB touched against a 64 MiB memory limit: killed by the cgroup's OOM killer (MLE). */
    @EveryProfile
    void memoryBombIsKilledAtTheMemoryLimit(String profile) {
        String marker = lab.newMarker();
        Outcome inside = lab.inside(profile).limits(limits(0, 20_000, 64 * MIB, 0, 0)).run("res_membomb", "192", marker);
        assertEquals(List.of(), inside.lines("worked"), () -> "ESCAPE: 192 MiB resident under a 64 MiB limit: " + inside);
        assertEquals(Status.MLE, inside.status(), inside::toString);
        assertHostRecovered(marker);
        lab.outsideOnce("res_membomb", "192").assertWorked();
    }

    /** /tmp is a tmpfs of the profile's tmpSize: writing past it fails (ENOSPC), nothing reaches the host. */
    @EveryProfile
    void fillingTmpStopsAtItsSize(String profile) {
        assertFillStopsAtTmpSize(profile, "/tmp", false);
    }

    /** Without a work directory /box is a tmpfs of the same size. */
    @EveryProfile
    void fillingTheTmpfsBoxStopsAtItsSize(String profile) {
        assertFillStopsAtTmpSize(profile, "/box", false);
    }

    /**
     * With a host work directory /box is an overlay whose upper layer is a tmpfs of the same size: the
     * fill stops there, and what comes back to the host's disk is at most that much.
     */
    @EveryProfile
    void fillingAHostWorkdirBoxStopsAtItsSize(String profile) {
        assertFillStopsAtTmpSize(profile, "/box", true);
    }

    private void assertFillStopsAtTmpSize(String profile, String dir, boolean hostWorkdir) {
        long tmpMib = lab.profile(profile).profile().filesystem().tmpSizeBytes() / MIB;
        String marker = lab.newMarker();
        EscapeLab.Inside run = lab.inside(profile).limits(limits(0, 30_000, 0, 0, 0));
        Path work = lab.newDir("work");
        if (hostWorkdir) {
            run = run.workdir(work);
        }
        Outcome inside = run.run("res_diskfill", dir, n(2 * tmpMib), marker);
        inside.assertBlocked();
        inside.assertRefusedWith("fill", "ENOSPC", "EFBIG", "EDQUOT");
        long written = inside.lines("note").stream().filter(l -> l.startsWith("note written ")).mapToLong(l -> Long.parseLong(l.split(" ")[2]))
                .findFirst().orElseThrow();
        assertTrue(written <= tmpMib, () -> "wrote " + written + " MiB into " + dir + ", more than the " + tmpMib + " MiB box");
        long onHost = DirectoryTrees.size(work);
        assertTrue(onHost <= tmpMib * MIB, () -> onHost + " bytes reached the host's work directory, more than the " + tmpMib + " MiB box");
        assertHostRecovered(marker);
        lab.outside().run("res_diskfill", lab.newDir("scratch").toString(), "16").assertWorked();
    }

    /** Output past a 1 MiB limit: OLE, and the caller receives at most the limit. */
    @EveryProfile
    void outputFloodStopsAtTheOutputLimit(String profile) {
        String marker = lab.newMarker();
        Outcome inside = lab.inside(profile).limits(limits(0, 10_000, 0, 0, MIB)).run("res_flood", marker);
        RunResult r = inside.run();
        assertEquals(Status.OLE, r.status(), inside::toString);
        assertEquals("output", r.limit().orElse(""));
        assertTrue(r.stdout().length + r.stderr().length <= MIB, "more than the limit reached the caller");
        assertHostRecovered(marker);
    }

    /** Descriptors up to RLIMIT_NOFILE and no further; the hard limit cannot be raised. Outside, root can. */
    @EveryProfile
    void descriptorsStopAtTheNofileLimit(String profile) {
        long nofile = rlimit(lab.profile(profile).profile(), "RLIMIT_NOFILE");
        String marker = lab.newMarker();
        Outcome inside = lab.inside(profile).run("res_fds", n(2 * nofile), marker);
        inside.assertBlocked();
        inside.assertRefusedWith("raise-limit", "EPERM");
        inside.assertRefusedWith("open", "EMFILE");
        assertHostRecovered(marker);
        lab.outsideOnce("res_fds", n(2 * nofile)).assertWorked();
    }

    /** Two threads spinning against a 500 ms CPU limit: TLE (cpu), within a few milliseconds of it. */
    @EveryProfile
    void cpuSpinStopsAtTheCpuLimit(String profile) {
        assertTimeLimitFires(profile, limits(500, 10_000, 0, 0, 0), "cpu", RunResult::cpuTimeMs, 500 + 100, "res_cpu", "2");
    }

    /** A sleep past a 500 ms wall limit: TLE (wall), promptly. */
    @EveryProfile
    void sleepStopsAtTheWallLimit(String profile) {
        assertTimeLimitFires(profile, limits(0, 500, 0, 0, 0), "wall", RunResult::wallTimeMs, 1000, "res_linger", "sleep");
    }

    /** Runs the program (with a marker as its last argument) and expects TLE from this limit, soon enough. */
    private void assertTimeLimitFires(String profile, LimitOverrides l, String limit, ToLongFunction<RunResult> used,
            long underMs, String program, String... args) {
        String marker = lab.newMarker();
        List<String> all = new ArrayList<>(List.of(args));
        all.add(marker);
        Outcome inside = lab.inside(profile).limits(l).run(program, all.toArray(String[]::new));
        RunResult r = inside.run();
        assertEquals(Status.TLE, r.status(), inside::toString);
        assertEquals(limit, r.limit().orElse(""), inside::toString);
        assertTrue(used.applyAsLong(r) < underMs, () -> limit + " time " + used.applyAsLong(r) + " ms, expected under " + underMs);
        assertHostRecovered(marker);
    }

    /**
     * A double-forked daemon in a session of its own, ignoring SIGHUP and SIGTERM: it dies with the
     * run. Outside, it outlives its parent (the lab kills it after the test).
     */
    @EveryProfile
    void aDaemonDoesNotOutliveTheRun(String profile) throws InterruptedException {
        String marker = lab.newMarker();
        lab.inside(profile).limits(limits(0, 10_000, 0, 0, 0)).run("res_linger", "daemon", marker);
        assertHostRecovered(marker);

        String outsideMarker = lab.newMarker();
        lab.outside().run("res_linger", "daemon", outsideMarker).assertWorked();
        // The grandchild may still be in execve (its command line briefly unreadable) when its
        // parent has gone: look for up to a second.
        for (int i = 0; i < 100 && HostProcesses.carrying(outsideMarker).isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertFalse(HostProcesses.carrying(outsideMarker).isEmpty(), "outside, the daemon should outlive its parent");
    }

    /**
     * Children that exit and are never reaped, as many as the pids limit lets it make, then a wait past
     * the wall limit: no zombie is left on the host. Outside, the same zombies are visible by name in
     * /proc, so the scan would see survivors.
     */
    @EveryProfile
    void zombiesDoNotOutliveTheRun(String profile) throws Exception {
        String marker = lab.newMarker();
        Outcome inside = lab.inside(profile).limits(limits(0, 500, 0, PIDS, 0)).run("res_linger", "zombies", n(TASKS), marker);
        assertEquals(Status.TLE, inside.status(), inside::toString);
        assertHostRecovered(marker);

        String outsideMarker = lab.newMarker();
        Path dir = lab.newDir("scratch");
        lab.outside().start(List.of(lab.programs().host("res_linger").toString(), "zombies", "20", outsideMarker), dir);
        for (int i = 0; i < 400 && HostProcesses.carrying(outsideMarker).size() < 21; i++) {
            Thread.sleep(5);
        }
        assertEquals(21, HostProcesses.carrying(outsideMarker).size(), "outside, the parent and its 20 zombies should show");
    }

    private static void assertHostRecovered(String marker) {
        assertEquals(List.of(), HostProcesses.carrying(marker), "a process of the run survived it");
        lab.witness().assertResponsive();
    }

    private static long rlimit(Profile p, String type) {
        return p.process().rlimits().stream().filter(r -> r.type().equals(type)).mapToLong(RlimitSpec::hard).findFirst()
                .orElseThrow(() -> new AssertionError(p.name() + " sets no " + type));
    }

    /** Limits for the request; 0 keeps the profile's. */
    private static LimitOverrides limits(long cpuMs, long wallMs, long memoryBytes, long pids, long outputBytes) {
        return new LimitOverrides(opt(cpuMs), opt(wallMs), opt(memoryBytes), opt(pids), opt(outputBytes));
    }

    private static OptionalLong opt(long v) {
        return v == 0 ? OptionalLong.empty() : OptionalLong.of(v);
    }

    private static String n(long v) {
        return Long.toString(v);
    }
}
