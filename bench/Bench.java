// The benchmark driver of bench/run (a single-file program: `java -cp RUNNER_CLASSPATH bench/Bench.java ...`).
// It runs this project and its peers side by side in one JVM, on the same workloads, alternating
// between them run by run, and prints medians, min/max and ratios. docs/performance.md explains it.

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.sandboxrunner.core.batch.BatchJob;
import org.sandboxrunner.core.batch.BatchRunner;
import org.sandboxrunner.core.nativeio.Fd;
import org.sandboxrunner.core.nativeio.Posix;
import org.sandboxrunner.core.run.Input;
import org.sandboxrunner.core.run.Output;
import org.sandboxrunner.core.run.Profiles;
import org.sandboxrunner.core.run.ResolvedProfile;
import org.sandboxrunner.core.run.RunRequest;
import org.sandboxrunner.core.run.RunResult;
import org.sandboxrunner.core.run.Sandbox;
import org.sandboxrunner.core.run.Status;
import org.sandboxrunner.core.run.WorkerSlot;
import org.sandboxrunner.policy.Profile;
import org.sandboxrunner.policy.RlimitSpec;
import org.sandboxrunner.seccomp.SeccompCompiler;

public final class Bench {
    /** One way of running a workload once; it throws unless the workload exited 0. */
    interface Runner {
        void once() throws Exception;
    }

    record Candidate(String name, boolean ours, Runner runner) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        int iterations = Integer.parseInt(opt.getOrDefault("iterations", "200"));
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "20"));
        int coldRuns = Integer.parseInt(opt.getOrDefault("cold", "10"));
        int throughputRuns = Integer.parseInt(opt.getOrDefault("throughput", "400"));
        Path cli = Path.of(opt.get("cli"));
        ResolvedProfile profile = Profiles.load("default");
        Path scratch = Files.createTempDirectory("sandbox-bench");
        Path bpf = scratch.resolve("default.bpf");
        Files.write(bpf, SeccompCompiler.create().compile(profile.profile().linux().seccomp().orElseThrow()).bytes());

        try (Sandbox sandbox = Sandbox.open(); WorkerSlot slot = sandbox.openSlot();
             Fd devNull = Posix.openWrite("/dev/null", true)) {
            Peers peers = new Peers(profile.profile(), bpf, devNull);
            if (opt.containsKey("show-peers")) {
                System.out.println("- bubblewrap runs: " + String.join(" ", peers.bwrap(List.of("WORKLOAD..."))));
                return;
            }
            if (opt.containsKey("phases")) {
                phases(sandbox, profile, Integer.parseInt(opt.get("phases")));
                return;
            }
            // --warm-only: the warm /bin/true table alone (quick before/after figures for one change).
            List<List<String>> workloads = opt.containsKey("warm-only") ? List.of(List.of("/bin/true"))
                    : List.of(List.of("/bin/true"), List.of("/usr/bin/python3", "-c", "pass"));
            for (List<String> workload : workloads) {
                List<Candidate> candidates = new ArrayList<>();
                RunRequest request = RunRequest.of(profile, workload).withStdio(Input.empty(), Output.discard(), Output.discard());
                // A worker slot (what BatchRunner's workers use) first: the ratios are its; then a one-shot run.
                String slotName = "sandbox-runner (Java API, warm, worker slot"
                        + (Boolean.getBoolean(Sandbox.REUSE_SLOT_CGROUPS) ? ", cgroup leaf reused)" : ")");
                candidates.add(new Candidate(slotName, true, () -> check(slot.run(request))));
                candidates.add(new Candidate("sandbox-runner (Java API, warm, one-shot Sandbox.run)", true,
                        () -> check(sandbox.run(request))));
                candidates.addAll(peers.isolated(workload));
                candidates.addAll(peers.references(workload));
                table(String.join(" ", workload), compare(candidates, warmup, iterations));
            }
            if (opt.containsKey("warm-only")) {
                return;
            }
            List<Candidate> cold = new ArrayList<>();
            List<String> coldCli = new ArrayList<>(List.of("/usr/bin/env", "PATH=/usr/local/bin:/usr/bin:/bin"));
            if (System.getenv("SANDBOX_CLASSPATH") != null) {
                coldCli.add("SANDBOX_CLASSPATH=" + System.getenv("SANDBOX_CLASSPATH"));
            }
            coldCli.addAll(List.of(cli.toString(), "run", "--", "/bin/true"));
            cold.add(new Candidate("sandbox-runner (bin/sandbox run, cold JVM)", true, peers.spawner(coldCli, false)));
            cold.addAll(peers.isolated(List.of("/bin/true")));
            table("/bin/true, cold CLI", compare(cold, 1, coldRuns));

            System.out.println();
            System.out.println("## Throughput: /bin/true, runs per second");
            System.out.println();
            System.out.println("| runner | workers | runs | runs/s |");
            System.out.println("| --- | ---: | ---: | ---: |");
            RunRequest trueRequest = RunRequest.of(profile, List.of("/bin/true"))
                    .withStdio(Input.empty(), Output.discard(), Output.discard());
            throughputRow("sandbox-runner (BatchRunner)", 1, throughputRuns, ourBatch(sandbox, trueRequest, 1, throughputRuns, null));
            RssSampler rss = new RssSampler();
            throughputRow("sandbox-runner (BatchRunner)", 2, throughputRuns, ourBatch(sandbox, trueRequest, 2, throughputRuns, rss));
            for (Candidate peer : peers.isolated(List.of("/bin/true"))) {
                throughputRow(peer.name(), 2, throughputRuns, threads(peer.runner(), 2, throughputRuns));
            }
            System.out.println();
            System.out.printf(Locale.ROOT, "JVM resident memory during the 2-worker batch: peak VmRSS %.1f MiB, median %.1f MiB"
                    + " (%d samples); VmHWM at the end %.1f MiB; JVM flags: %s%n", rss.peakKb / 1024.0, rss.medianKb() / 1024.0,
                    rss.samples.size(), RssSampler.read("VmHWM:") / 1024.0,
                    String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
            System.out.printf(Locale.ROOT, "The native stage's fork servers during the 2-worker batch: %d, together at most"
                    + " %d KiB VmRSS (each run's helper runs in one's memory)%n", rss.servers, rss.serversPeakKb);
        } finally {
            Files.deleteIfExists(bpf);
            Files.deleteIfExists(scratch);
        }
    }

    /** For bench/phases: sequential warm runs of /bin/true under a syscall tracer; prints their median wall time. */
    static void phases(Sandbox sandbox, ResolvedProfile profile, int runs) {
        RunRequest request = RunRequest.of(profile, List.of("/bin/true")).withStdio(Input.empty(), Output.discard(), Output.discard());
        long[] nanos = new long[runs];
        for (int i = -10; i < runs; i++) {
            long t0 = System.nanoTime();
            check(sandbox.run(request));
            if (i >= 0) {
                nanos[i] = System.nanoTime() - t0;
            }
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "java: Sandbox.run median %.3f ms over %d runs%n", median(nanos) / 1e6, runs);
    }

    private static void check(RunResult r) {
        if (r.status() != Status.OK) {
            throw new IllegalStateException("run ended " + r.status() + ": " + r.message());
        }
    }

    /** Runs every candidate once per round, starting each round with the next one (A B C, B C A, ...). */
    static Map<String, long[]> compare(List<Candidate> candidates, int warmup, int iterations) throws Exception {
        Map<String, long[]> nanos = new LinkedHashMap<>();
        candidates.forEach(c -> nanos.put(c.name(), new long[iterations]));
        for (int round = -warmup; round < iterations; round++) {
            for (int k = 0; k < candidates.size(); k++) {
                Candidate c = candidates.get(Math.floorMod(round + k, candidates.size()));
                long t0 = System.nanoTime();
                try {
                    c.runner().once();
                } catch (Exception e) {
                    throw new IllegalStateException(c.name() + ": " + e.getMessage(), e);
                }
                long dt = System.nanoTime() - t0;
                if (round >= 0) {
                    nanos.get(c.name())[round] = dt;
                }
            }
        }
        nanos.values().forEach(Arrays::sort);
        return nanos;
    }

    static void table(String workload, Map<String, long[]> nanos) {
        double ours = median(nanos.values().iterator().next());
        System.out.println();
        System.out.println("## " + workload + " (ms per run, " + nanos.values().iterator().next().length + " runs each, alternating)");
        System.out.println();
        System.out.println("| runner | median | min | max | ours / this |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        boolean first = true;
        for (Map.Entry<String, long[]> e : nanos.entrySet()) {
            long[] v = e.getValue();
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %s |%n", e.getKey(), median(v) / 1e6, v[0] / 1e6,
                    v[v.length - 1] / 1e6, first ? "1" : String.format(Locale.ROOT, "%.2f", ours / median(v)));
            first = false;
        }
    }

    static double median(long[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    static void throughputRow(String name, int workers, int runs, double seconds) {
        System.out.printf(Locale.ROOT, "| %s | %d | %d | %.1f |%n", name, workers, runs, runs / seconds);
    }

    /** Seconds for {@code runs} runs through a BatchRunner with {@code workers} workers (after a short warm-up). */
    static double ourBatch(Sandbox sandbox, RunRequest request, int workers, int runs, RssSampler rss) throws Exception {
        for (int i = 0; i < 5; i++) {
            check(sandbox.run(request));
        }
        AtomicInteger bad = new AtomicInteger();
        if (rss != null) {
            rss.start();
        }
        long t0 = System.nanoTime();
        try (BatchRunner pool = BatchRunner.start(sandbox, workers, 2 * workers, o -> {
            if (o.status() != Status.OK) {
                bad.incrementAndGet();
            }
        })) {
            for (int i = 0; i < runs; i++) {
                pool.submit(new BatchJob("run-" + i, request));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (rss != null) {
            rss.stop();
        }
        if (bad.get() > 0) {
            throw new IllegalStateException(bad.get() + " of " + runs + " batch runs did not end OK");
        }
        return seconds;
    }

    /** Seconds for {@code runs} runs of a peer spread over {@code workers} threads. */
    static double threads(Runner runner, int workers, int runs) throws Exception {
        for (int i = 0; i < 5; i++) {
            runner.once();
        }
        AtomicInteger left = new AtomicInteger(runs);
        AtomicLong failures = new AtomicLong();
        CountDownLatch done = new CountDownLatch(workers);
        long t0 = System.nanoTime();
        for (int w = 0; w < workers; w++) {
            new Thread(() -> {
                while (left.getAndDecrement() > 0) {
                    try {
                        runner.once();
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }
                done.countDown();
            }).start();
        }
        done.await();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " of " + runs + " peer runs failed");
        }
        return seconds;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("usage: Bench --cli PATH [--iterations N] [--warmup N] [--cold N] [--throughput N]");
            }
            opt.put(args[i].substring(2), args[i + 1]);
        }
        if (!opt.containsKey("cli")) {
            throw new IllegalArgumentException("--cli PATH (bin/sandbox) is required");
        }
        return opt;
    }

    /**
     * The peers, started the way the runner starts its own native stage (posix_spawn from this JVM,
     * stdio on /dev/null), with the isolation of the `default` profile as near as each allows.
     */
    static final class Peers {
        private final Profile profile;
        private final Path bpf;
        private final Fd devNull;

        Peers(Profile profile, Path bpf, Fd devNull) {
            this.profile = profile;
            this.bpf = bpf;
            this.devNull = devNull;
        }

        /** Peers with the same isolation; only those installed. */
        List<Candidate> isolated(List<String> workload) {
            List<Candidate> list = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/bwrap"))) {
                list.add(new Candidate("bubblewrap " + version("/usr/bin/bwrap"), false, spawner(bwrap(workload), true)));
            }
            return list;
        }

        /** What the isolation costs at least: the same namespaces with nothing in them, and no sandbox at all. */
        List<Candidate> references(List<String> workload) {
            List<String> unshare = new ArrayList<>(List.of("/usr/bin/unshare", "--user", "--map-root-user", "--pid", "--fork",
                    "--mount", "--ipc", "--uts", "--net"));
            unshare.addAll(workload);
            return List.of(new Candidate("reference: unshare, same namespaces, nothing else", false, spawner(unshare, false)),
                    new Candidate("reference: posix_spawn + exec, no sandbox", false, spawner(workload, false)));
        }

        /**
         * bwrap's nearest equivalent of the default profile: the same namespaces (cgroup too), the
         * same read-only host directories, /box and /tmp as tmpfs, /proc, a minimal /dev, the masked
         * paths, hostname, uid/gid 1000, no capabilities, a new session, the profile's rlimits (set by
         * prlimit, which then execs bwrap) and the profile's own seccomp filter (BPF on fd 3).
         */
        List<String> bwrap(List<String> workload) {
            List<String> a = new ArrayList<>(List.of("/usr/bin/prlimit"));
            for (RlimitSpec r : profile.process().rlimits()) {
                String name = r.type().substring("RLIMIT_".length()).toLowerCase(Locale.ROOT);
                a.add("--" + name + "=" + r.soft() + ":" + r.hard());
            }
            a.addAll(List.of("/usr/bin/bwrap", "--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
                    "--unshare-net", "--unshare-cgroup", "--uid", "1000", "--gid", "1000", "--hostname", "sandbox",
                    "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--clearenv"));
            for (String e : profile.process().env()) {
                int eq = e.indexOf('=');
                a.addAll(List.of("--setenv", e.substring(0, eq), e.substring(eq + 1)));
            }
            for (String dir : profile.filesystem().hostReadOnly()) {
                Path host = Path.of(dir);
                if (Files.isSymbolicLink(host)) {
                    a.addAll(List.of("--symlink", readLink(host), dir));
                } else if (Files.isDirectory(host)) {
                    a.addAll(List.of("--ro-bind", dir, dir));
                }
            }
            a.addAll(List.of("--size", Long.toString(profile.filesystem().tmpSizeBytes()), "--tmpfs", profile.filesystem().box(),
                    "--size", Long.toString(profile.filesystem().tmpSizeBytes()), "--tmpfs", "/tmp",
                    "--proc", "/proc", "--dev", "/dev", "--chdir", profile.filesystem().box()));
            for (String masked : profile.linux().maskedPaths()) {
                Path p = Path.of(masked);
                if (Files.isDirectory(p)) {
                    a.addAll(List.of("--tmpfs", masked, "--remount-ro", masked));
                } else if (Files.exists(p)) {
                    a.addAll(List.of("--ro-bind", "/dev/null", masked));
                }
            }
            a.addAll(List.of("--seccomp", "3", "--"));
            a.addAll(workload);
            return a;
        }

        /** A runner that posix_spawns argv and waits; {@code seccompFd3} gives the child the filter as fd 3. */
        Runner spawner(List<String> argv, boolean seccompFd3) {
            return () -> {
                Fd filter = seccompFd3 ? Posix.openRead(bpf.toString()) : null;
                try {
                    Map<Integer, Fd> fds = new HashMap<>(Map.of(0, devNull, 1, devNull, 2, devNull));
                    if (filter != null) {
                        fds.put(3, filter);
                    }
                    int status = Posix.waitFor(Posix.spawn(argv.get(0), argv, fds));
                    if (status != 0) {
                        throw new IllegalStateException(argv.get(0) + " ended with wait status " + status);
                    }
                } finally {
                    if (filter != null) {
                        filter.close();
                    }
                }
            };
        }

        private static String readLink(Path p) {
            try {
                return Files.readSymbolicLink(p).toString();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String version(String bwrap) {
            try {
                Process p = new ProcessBuilder(bwrap, "--version").redirectErrorStream(true).start();
                String v = new String(p.getInputStream().readAllBytes()).trim();
                p.waitFor();
                return v.replace("bubblewrap ", "");
            } catch (IOException | InterruptedException e) {
                return "";
            }
        }
    }

    /** Samples this JVM's VmRSS, and its fork servers' (its sandbox-helper children), every 10 ms while a batch runs. */
    static final class RssSampler {
        final List<Long> samples = new ArrayList<>();
        long peakKb;
        /** The largest sum of the fork servers' VmRSS, and how many servers that sum was over. */
        long serversPeakKb;
        int servers;
        private volatile boolean running;
        private Thread thread;

        void start() {
            running = true;
            thread = new Thread(() -> {
                while (running) {
                    long kb = read("VmRSS:");
                    List<Long> serverKb = ProcessHandle.current().children().map(ProcessHandle::pid)
                            .filter(pid -> "sandbox-helper".equals(comm(pid))).map(pid -> readOf(pid, "VmRSS:"))
                            .filter(v -> v > 0).toList();
                    long serversKb = serverKb.stream().mapToLong(Long::longValue).sum();
                    synchronized (samples) {
                        samples.add(kb);
                        peakKb = Math.max(peakKb, kb);
                        if (serversKb > serversPeakKb) {
                            serversPeakKb = serversKb;
                            servers = serverKb.size();
                        }
                    }
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        double medianKb() {
            long[] v = samples.stream().mapToLong(Long::longValue).sorted().toArray();
            return v.length == 0 ? 0 : median(v);
        }

        static long read(String field) {
            long kb = readOf(ProcessHandle.current().pid(), field);
            if (kb < 0) {
                throw new IllegalStateException("/proc/self/status has no " + field);
            }
            return kb;
        }

        /** A "kB" field of /proc/PID/status; -1 when the process is gone or has no such field. */
        static long readOf(long pid, String field) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith(field)) {
                        return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                    }
                }
            } catch (IOException e) {
                return -1;
            }
            return -1;
        }

        static String comm(long pid) {
            try {
                return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
            } catch (IOException e) {
                return "";
            }
        }
    }
}
