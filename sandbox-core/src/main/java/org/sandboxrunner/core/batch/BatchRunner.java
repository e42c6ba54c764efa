package org.sandboxrunner.core.batch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.sandboxrunner.core.run.RunRequest;
import org.sandboxrunner.core.run.RunResult;
import org.sandboxrunner.core.run.Sandbox;
import org.sandboxrunner.core.run.SandboxSetupException;
import org.sandboxrunner.core.run.WorkerSlot;

/**
 * A bounded pool of workers that run batch jobs through one {@link Sandbox}, for embedders and for
 * {@code sandbox batch}.
 *
 * <p>Back-pressure: at most {@code queueCapacity} jobs wait; {@link #submit} blocks while the queue
 * is full and {@link #trySubmit} refuses. Each job's outcome goes to the sink with its id, in the
 * order the jobs finish; the sink is never called by two workers at once. A job that fails (a set-up
 * failure, or any exception of the runner) becomes a {@link BatchOutcome.NotRun} and the others go on.
 *
 * <p>Stopping kills nothing: a run cannot be cancelled from Java, and a run's sandbox ends when its
 * {@link Sandbox#run} returns (its limits end it; if the JVM dies, the native stage's lifeline kills
 * it). Each worker runs its jobs in a {@link WorkerSlot} of its own, closed when the worker ends. {@link #cancel} drops the jobs that wait; {@link #close} and {@link #awaitTermination} return
 * once every started run has returned, so no sandbox of this pool is left running.
 */
public final class BatchRunner implements AutoCloseable {
    /** The step a {@link BatchOutcome.NotRun} names when the runner failed outside the sandbox's steps. */
    public static final String RUNNER_STEP = "runner";
    /** The CLI's status for a sandbox that could not be set up (like docker run). */
    private static final int SETUP_FAILED = 125;

    /** One worker's way of running requests; closed when the worker ends. */
    interface Worker extends AutoCloseable {
        RunResult run(RunRequest request);

        @Override
        void close();
    }

    private final Supplier<Worker> workerFactory;
    private final Consumer<BatchOutcome> sink;
    private final int capacity;
    private final ArrayDeque<BatchJob> queue = new ArrayDeque<>();
    private final List<Thread> workers = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    private final Condition finished = lock.newCondition();
    private final Object sinkLock = new Object();
    private boolean shutdown;
    private int liveWorkers;
    private RuntimeException sinkFailure;

    private BatchRunner(Supplier<Worker> workerFactory, int capacity, Consumer<BatchOutcome> sink) {
        this.workerFactory = workerFactory;
        this.capacity = capacity;
        this.sink = sink;
    }

    /**
     * Starts {@code workers} threads that run jobs through {@code sandbox}.
     *
     * @param queueCapacity how many submitted jobs may wait for a worker
     * @param sink          receives each outcome as its job finishes; if it throws, the jobs that wait
     *                      are dropped and {@link #close} throws what it threw
     */
    public static BatchRunner start(Sandbox sandbox, int workers, int queueCapacity, Consumer<BatchOutcome> sink) {
        Objects.requireNonNull(sandbox, "sandbox");
        return start(() -> {
            WorkerSlot slot = sandbox.openSlot();
            return new Worker() {
                @Override
                public RunResult run(RunRequest request) {
                    return slot.run(request);
                }

                @Override
                public void close() {
                    slot.close();
                }
            };
        }, workers, queueCapacity, sink);
    }

    /** With any way of running a request: the pool's own tests run it without a kernel. */
    static BatchRunner start(Function<RunRequest, RunResult> runner, int workers, int queueCapacity,
            Consumer<BatchOutcome> sink) {
        Objects.requireNonNull(runner, "runner");
        return start(() -> new Worker() {
            @Override
            public RunResult run(RunRequest request) {
                return runner.apply(request);
            }

            @Override
            public void close() {}
        }, workers, queueCapacity, sink);
    }

    private static BatchRunner start(Supplier<Worker> workerFactory, int workers, int queueCapacity,
            Consumer<BatchOutcome> sink) {
        if (workers < 1) {
            throw new IllegalArgumentException("a batch needs at least one worker, got " + workers);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("the batch queue must hold at least one job, got " + queueCapacity);
        }
        BatchRunner pool = new BatchRunner(workerFactory, queueCapacity,
                Objects.requireNonNull(sink, "sink"));
        pool.liveWorkers = workers;
        for (int i = 1; i <= workers; i++) {
            Thread t = new Thread(pool::work, "sandbox-batch-" + i);
            pool.workers.add(t);
        }
        pool.workers.forEach(Thread::start);
        return pool;
    }

    /**
     * Queues a job, waiting while the queue is full.
     *
     * @throws RejectedExecutionException when the pool was shut down or cancelled (also while waiting)
     */
    public void submit(BatchJob job) throws InterruptedException {
        Objects.requireNonNull(job, "job");
        lock.lockInterruptibly();
        try {
            while (!shutdown && queue.size() == capacity) {
                notFull.await();
            }
            enqueue(job);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a job if there is room.
     *
     * @return false when the queue is full
     * @throws RejectedExecutionException when the pool was shut down or cancelled
     */
    public boolean trySubmit(BatchJob job) {
        Objects.requireNonNull(job, "job");
        lock.lock();
        try {
            if (!shutdown && queue.size() == capacity) {
                return false;
            }
            enqueue(job);
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void enqueue(BatchJob job) {
        if (shutdown) {
            throw new RejectedExecutionException("the batch is closed: job " + job.id() + " was not queued");
        }
        queue.add(job);
        notEmpty.signal();
    }

    /** Takes no more jobs; the queued ones still run. Returns at once. */
    public void shutdown() {
        lock.lock();
        try {
            shutdown = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes no more jobs and drops the queued ones; the running ones go on to their end. Returns at once.
     *
     * @return the dropped jobs, in the order they were submitted
     */
    public List<BatchJob> cancel() {
        lock.lock();
        try {
            List<BatchJob> dropped = List.copyOf(queue);
            queue.clear();
            shutdown();
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every worker has ended (after {@link #shutdown} or {@link #cancel}). */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lockInterruptibly();
        try {
            while (liveWorkers > 0) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = finished.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes no more jobs, runs the queued ones and waits for every run to return. An interrupt while
     * waiting drops the queued jobs, still waits for the running ones (so none is left behind), and is
     * kept in the thread's interrupt status.
     *
     * @throws RuntimeException what the sink threw, if it did
     */
    @Override
    public void close() {
        shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (awaitTermination(Duration.ofDays(1))) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
                cancel();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        synchronized (sinkLock) {
            if (sinkFailure != null) {
                throw sinkFailure;
            }
        }
    }

    private void work() {
        try (Worker worker = workerFactory.get()) {
            BatchJob job;
            while ((job = next()) != null) {
                deliver(execute(worker, job));
            }
        } finally {
            lock.lock();
            try {
                liveWorkers--;
                finished.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** The next job, or null once the pool is shut down and the queue is empty. */
    private BatchJob next() {
        lock.lock();
        try {
            while (queue.isEmpty() && !shutdown) {
                notEmpty.awaitUninterruptibly();
            }
            BatchJob job = queue.poll();
            if (job != null) {
                notFull.signal();
            }
            return job;
        } finally {
            lock.unlock();
        }
    }

    private BatchOutcome execute(Worker worker, BatchJob job) {
        try {
            return new BatchOutcome.Ran(job, worker.run(job.request()));
        } catch (SandboxSetupException e) {
            return new BatchOutcome.NotRun(job, e);
        } catch (RuntimeException e) {
            // Not a step of the sandbox (a stdin file that cannot be opened, say): the job fails, the batch goes on.
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            return new BatchOutcome.NotRun(job, new SandboxSetupException(RUNNER_STEP, message, SETUP_FAILED, e));
        }
    }

    private void deliver(BatchOutcome outcome) {
        synchronized (sinkLock) {
            if (sinkFailure != null) {
                return;
            }
            try {
                sink.accept(outcome);
            } catch (RuntimeException e) {
                sinkFailure = e;
                cancel();
            }
        }
    }

    /** How many jobs wait for a worker. */
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** For tests that the pool's threads are gone. */
    List<Thread> workerThreads() {
        return List.copyOf(workers);
    }
}
