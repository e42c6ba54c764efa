package org.sandboxrunner.core.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.sandboxrunner.core.batch.BatchJob;
import org.sandboxrunner.core.batch.BatchProgress;
import org.sandboxrunner.core.batch.BatchRunner;
import org.sandboxrunner.core.batch.JobLines;
import org.sandboxrunner.core.batch.ResultLines;
import org.sandboxrunner.core.run.Sandbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sandbox batch}: runs every job of a JSON Lines file through a pool of workers and writes one
 * result line per job. docs/batch.md describes the file formats.
 */
@Command(name = "batch", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.USAGE,
        exitCodeOnExecutionException = ExitCodes.USAGE,
        description = {"Runs the jobs of a JSON Lines file (one job per line) in parallel sandboxes and writes one "
                + "JSON result line per job, in the order they finish.",
            "Exit status: 0 when every line was a job and every job has its result line (whatever its verdict); "
                + "1 when bad lines were skipped; 125 when the batch could not start (bad options, an unreadable "
                + "jobs file, a bad line with --on-bad-line refuse); 130 when SIGINT or SIGTERM stopped it."})
public final class BatchCommand implements Callable<Integer> {
    static final int BAD_LINES_SKIPPED = 1;
    /** 128 + SIGINT, what a shell reports for a program stopped by Ctrl-C, for SIGTERM too. */
    static final int INTERRUPTED = 130;
    /** How often the bar is redrawn on a terminal, and how often a plain line is written elsewhere. */
    private static final Duration BAR_EVERY = Duration.ofMillis(200), LINE_EVERY = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Option(names = "--jobs", required = true, paramLabel = "FILE.jsonl", description = "The jobs, one JSON object per line.")
    Path jobs;

    @Option(names = "--results", required = true, paramLabel = "OUT.jsonl",
            description = "Where the result lines go (replaced); each line is written and flushed as its job finishes.")
    Path results;

    @Option(names = "--parallel", paramLabel = "N", description = "How many jobs run at once (default: the number of CPUs).")
    Integer parallel;

    @Option(names = "--on-bad-line", paramLabel = "skip|refuse", defaultValue = "refuse",
            description = "A line that is not a valid job: refuse the whole batch before anything runs (default), "
                    + "or skip it and run the others. Either way it is reported with its line number.")
    String onBadLine;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        int workers = workers();
        boolean skip = skipBadLines();
        JobLines.Parsed parsed;
        try {
            parsed = JobLines.read(jobs, Path.of("").toAbsolutePath());
        } catch (NoSuchFileException e) {
            err.println("sandbox: cannot read the jobs file " + jobs + ": no such file");
            return ExitCodes.USAGE;
        } catch (IOException e) {
            err.println("sandbox: cannot read the jobs file " + jobs + ": " + e.getMessage());
            return ExitCodes.USAGE;
        }
        for (JobLines.BadLine bad : parsed.badLines()) {
            err.println("sandbox: " + bad.format(jobs.toString()) + (skip ? " (skipped)" : ""));
        }
        if (!skip && !parsed.badLines().isEmpty()) {
            err.println("sandbox: " + parsed.badLines().size() + " bad line(s) in " + jobs + ": nothing was run"
                    + " (--on-bad-line skip runs the good ones)");
            err.flush();
            return ExitCodes.USAGE;
        }
        Outcome outcome = run(parsed.jobs(), workers, err);
        err.flush();
        if (outcome == Outcome.INTERRUPTED) {
            return INTERRUPTED;
        }
        return parsed.badLines().isEmpty() ? 0 : BAD_LINES_SKIPPED;
    }

    private enum Outcome { FINISHED, INTERRUPTED }

    private Outcome run(List<BatchJob> list, int workers, PrintWriter err) throws IOException, InterruptedException {
        BatchProgress progress = new BatchProgress(list.size(), System.nanoTime());
        boolean terminal = System.console() != null;
        AtomicReference<String> stoppedBy = new AtomicReference<>();
        try (Sandbox sandbox = Sandbox.open(); ResultLines lines = new ResultLines(resultsWriter())) {
            BatchRunner runner = BatchRunner.start(sandbox, workers, 2 * workers, o -> {
                if (lines.write(o)) {
                    progress.record(o.status());
                }
            });
            ScheduledExecutorService display = progressDisplay(progress, terminal, err);
            StopSignals signals = StopSignals.install(name -> {
                // On the JVM's signal thread: no new job starts, and no result is written after this
                // (a run the signal cut short has no honest verdict). The main thread below wraps up.
                stoppedBy.compareAndSet(null, name);
                runner.cancel();
                lines.close();
            });
            try {
                submitAll(runner, list, stoppedBy);
                runner.shutdown();
                while (!runner.awaitTermination(Duration.ofMillis(50))) {
                    if (stoppedBy.get() != null) {
                        break;
                    }
                }
            } finally {
                signals.restore();
                display.shutdownNow();
            }
            String summary = ProgressFormat.line(progress.snapshot(System.nanoTime()));
            if (terminal) {
                err.println(ProgressFormat.bar(progress.snapshot(System.nanoTime())));
            }
            if (stoppedBy.get() != null) {
                // Runs still going are not waited for: when this JVM exits, their native stages see the
                // lifeline close and kill them (docs/ARCHITECTURE.md), so none outlives the batch.
                err.println(summary + "; stopped by SIG" + stoppedBy.get() + ": results so far are in " + results);
                return Outcome.INTERRUPTED;
            }
            runner.close();
            err.println(summary);
            return Outcome.FINISHED;
        }
    }

    private static void submitAll(BatchRunner runner, List<BatchJob> list, AtomicReference<String> stoppedBy)
            throws InterruptedException {
        for (BatchJob job : list) {
            if (stoppedBy.get() != null) {
                return;
            }
            try {
                runner.submit(job);
            } catch (RejectedExecutionException e) {
                return; // cancelled by a signal while waiting for room
            }
        }
    }

    private BufferedWriter resultsWriter() throws IOException {
        return Files.newBufferedWriter(results, StandardCharsets.UTF_8);
    }

    /** A bar redrawn in place on a terminal; elsewhere (a log, a pipe) a plain line now and then. */
    private static ScheduledExecutorService progressDisplay(BatchProgress progress, boolean terminal, PrintWriter err) {
        ScheduledExecutorService display = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sandbox-batch-progress");
            t.setDaemon(true);
            return t;
        });
        Duration every = terminal ? BAR_EVERY : LINE_EVERY;
        display.scheduleAtFixedRate(() -> {
            BatchProgress.Snapshot s = progress.snapshot(System.nanoTime());
            if (terminal) {
                err.print(ProgressFormat.bar(s));
            } else {
                err.println(ProgressFormat.line(s));
            }
            err.flush();
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return display;
    }

    private int workers() {
        int n = parallel == null ? Runtime.getRuntime().availableProcessors() : parallel;
        if (n < 1 || n > 1024) {
            throw new ParameterException(spec.commandLine(), "--parallel takes a whole number from 1 to 1024, got " + n);
        }
        return n;
    }

    private boolean skipBadLines() {
        return switch (onBadLine) {
            case "skip" -> true;
            case "refuse" -> false;
            default -> throw new ParameterException(spec.commandLine(),
                    "--on-bad-line takes skip or refuse, got '" + onBadLine + "'");
        };
    }
}
