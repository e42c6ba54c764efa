// The accuracy study of docs/grading.md (a single-file program; bench/grading/run compiles and runs it).
//
//   overshoot RUNS LIMIT_MS   a busy loop against a CPU limit, RUNS times: reported CPU time minus the limit
//   cpu RUNS ITERATIONS       the calibrated loop inside (cgroup CPU time) and outside (perf stat task-clock),
//                             alternating, plus an empty run inside (the sandbox's own share of the cgroup);
//                             compared by medians and by minimums
//   memory RUNS MIB...        peak memory of a program touching exactly N MiB, and of the same program
//                             touching none (the baseline)
//
// The programs (spin, touch) are compiled by the run script into a directory bound read-only at /grading.

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import org.sandboxrunner.core.run.Bind;
import org.sandboxrunner.core.run.LimitOverrides;
import org.sandboxrunner.core.run.Profiles;
import org.sandboxrunner.core.run.ResolvedProfile;
import org.sandboxrunner.core.run.RunRequest;
import org.sandboxrunner.core.run.RunResult;
import org.sandboxrunner.core.run.Sandbox;
import org.sandboxrunner.core.run.Status;

public final class Grading {
    private static final String MOUNT = "/grading";
    private static final long MIB = 1 << 20;

    private final Sandbox sandbox;
    private final ResolvedProfile profile;
    private final Path programs;

    private Grading(Sandbox sandbox, ResolvedProfile profile, Path programs) {
        this.sandbox = sandbox;
        this.profile = profile;
        this.programs = programs;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: Grading PROGRAM_DIR overshoot|cpu|memory ARGS...");
        }
        try (Sandbox sandbox = Sandbox.open()) {
            Grading g = new Grading(sandbox, Profiles.load("default"), Path.of(args[0]).toAbsolutePath());
            String[] rest = Arrays.copyOfRange(args, 2, args.length);
            switch (args[1]) {
                case "overshoot" -> g.overshoot(Integer.parseInt(rest[0]), Long.parseLong(rest[1]));
                case "cpu" -> g.cpu(Integer.parseInt(rest[0]), Long.parseLong(rest[1]));
                case "memory" -> g.memory(Integer.parseInt(rest[0]), Arrays.stream(rest).skip(1).mapToLong(Long::parseLong).toArray());
                default -> throw new IllegalArgumentException("unknown study " + args[1]);
            }
        }
    }

    private RunResult inside(LimitOverrides limits, String... command) {
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.set(0, MOUNT + "/" + cmd.get(0));
        return sandbox.run(RunRequest.of(profile, cmd).withBinds(List.of(new Bind(programs, MOUNT, true))).withLimits(limits));
    }

    private static LimitOverrides limits(long cpuMs, long wallMs, long memory) {
        return new LimitOverrides(cpuMs > 0 ? OptionalLong.of(cpuMs) : OptionalLong.empty(), OptionalLong.of(wallMs),
                memory > 0 ? OptionalLong.of(memory) : OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());
    }

    private static RunResult expect(RunResult r, Status status) {
        if (r.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + r.status() + ": " + r.message());
        }
        return r;
    }

    /** Reported CPU time minus the limit for a loop that would run far past it. */
    private void overshoot(int runs, long limitMs) {
        long[] over = new long[runs];
        for (int i = 0; i < runs; i++) {
            RunResult r = expect(inside(limits(limitMs, 60_000, 0), "spin", "1000000000000"), Status.TLE);
            over[i] = r.cpuTimeMs() - limitMs;
        }
        System.out.printf(Locale.ROOT, "overshoot over %d runs, limit %d ms: median %s ms, max %d ms, min %d ms; all: %s%n",
                runs, limitMs, median(over), max(over), min(over), sortedText(over));
    }

    /** The loop's CPU time inside (cgroup) and outside (perf stat), alternating run by run. */
    private void cpu(int runs, long iterations) throws IOException, InterruptedException {
        long[] in = new long[runs], empty = new long[runs];
        double[] out = new double[runs];
        for (int i = 0; i < runs; i++) {
            in[i] = expect(inside(limits(0, 60_000, 0), "spin", Long.toString(iterations)), Status.OK).cpuTimeMs();
            empty[i] = expect(inside(limits(0, 60_000, 0), "spin", "0"), Status.OK).cpuTimeMs();
            out[i] = perfTaskClockMs(programs.resolve("spin").toString(), Long.toString(iterations));
        }
        double mIn = median(in), mEmpty = median(empty), mOut = median(out);
        System.out.printf(Locale.ROOT, "cpu over %d runs of %d iterations: inside median %.1f ms (%s), empty run inside "
                + "median %.1f ms (%s), outside (perf stat task-clock) median %.2f ms (%s)%n", runs, iterations,
                mIn, sortedText(in), mEmpty, sortedText(empty), mOut, sortedText(out));
        System.out.printf(Locale.ROOT, "  medians: inside/outside %+.2f%%; inside minus the empty run vs outside %+.2f%%%n",
                100 * (mIn - mOut) / mOut, 100 * (mIn - mEmpty - mOut) / mOut);
        // Contention only ever adds CPU time (a preempted vCPU is still charged), so on a shared host the
        // least disturbed run of each side, the minimum, is the better estimate of the loop's own cost.
        double minIn = min(in), minEmpty = min(empty), minOut = Arrays.stream(out).min().orElseThrow();
        System.out.printf(Locale.ROOT, "  minimums: inside %.0f ms, empty %.0f ms, outside %.2f ms: inside/outside %+.2f%%; "
                + "inside minus the empty run vs outside %+.2f%%%n", minIn, minEmpty, minOut, 100 * (minIn - minOut) / minOut,
                100 * (minIn - minEmpty - minOut) / minOut);
    }

    /** task-clock of the command, in ms, from perf stat's CSV output (field 1 of the task-clock line). */
    private static double perfTaskClockMs(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("perf", "stat", "-x,", "-e", "task-clock", "--"));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("perf stat failed: " + err);
        }
        return err.lines().filter(l -> l.contains(",task-clock,")).mapToDouble(l -> Double.parseDouble(l.split(",")[0]))
                .findFirst().orElseThrow(() -> new IllegalStateException("no task-clock in perf's output: " + err));
    }

    /** Peak memory of touching N MiB, against the same program touching none. */
    private void memory(int runs, long[] mibs) {
        long[] base = new long[runs];
        for (int i = 0; i < runs; i++) {
            base[i] = expect(inside(limits(0, 60_000, 1024 * MIB), "touch", "0"), Status.OK).memoryPeakBytes();
        }
        double mBase = median(base);
        System.out.printf(Locale.ROOT, "memory baseline (touch 0) over %d runs: median %.3f MiB (%s bytes)%n", runs,
                mBase / MIB, sortedText(base));
        for (long n : mibs) {
            long[] peak = new long[runs];
            for (int i = 0; i < runs; i++) {
                peak[i] = expect(inside(limits(0, 60_000, 1024 * MIB), "touch", Long.toString(n)), Status.OK).memoryPeakBytes();
            }
            double excess = (max(peak) - mBase) / MIB - n, excessMin = (min(peak) - mBase) / MIB - n;
            System.out.printf(Locale.ROOT, "  touch %d MiB: peak median %.3f MiB, peak minus baseline minus N: %.3f to %.3f MiB (%s bytes)%n",
                    n, median(peak) / MIB, excessMin, excess, sortedText(peak));
        }
    }

    private static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }

    private static long max(long[] v) {
        return Arrays.stream(v).max().orElseThrow();
    }

    private static long min(long[] v) {
        return Arrays.stream(v).min().orElseThrow();
    }

    private static String sortedText(long[] v) {
        return Arrays.toString(Arrays.stream(v).sorted().toArray());
    }

    private static String sortedText(double[] v) {
        return Arrays.toString(Arrays.stream(v).sorted().mapToObj(d -> String.format(Locale.ROOT, "%.1f", d)).toArray());
    }
}
