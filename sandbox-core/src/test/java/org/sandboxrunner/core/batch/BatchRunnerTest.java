package org.sandboxrunner.core.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.sandboxrunner.core.run.Profiles;
import org.sandboxrunner.core.run.ResolvedProfile;
import org.sandboxrunner.core.run.RunRequest;
import org.sandboxrunner.core.run.RunResult;
import org.sandboxrunner.core.run.SandboxSetupException;
import org.sandboxrunner.core.run.Status;

/**
 * The pool's rules, with runs that a test releases one by one (a latch per command), so every
 * ordering is forced rather than hoped for. Real runs go through it in the tests module.
 */
class BatchRunnerTest {
    private static final ResolvedProfile PROFILE = load();
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> started = new ConcurrentHashMap<>();
    private final List<BatchOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger running = new AtomicInteger(), mostAtOnce = new AtomicInteger();

    private static ResolvedProfile load() {
        try {
            return Profiles.load("default");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static BatchJob job(String id) {
        return new BatchJob(id, RunRequest.of(PROFILE, List.of(id)));
    }

    private CountDownLatch gate(String id) {
        return gates.computeIfAbsent(id, k -> new CountDownLatch(1));
    }

    private CountDownLatch startedLatch(String id) {
        return started.computeIfAbsent(id, k -> new CountDownLatch(1));
    }

    /** A run of command X waits for gate X; "fail" throws a set-up failure, "boom" any exception. */
    private final Function<RunRequest, RunResult> gatedRun = request -> {
        String id = request.command().get(0);
        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
        startedLatch(id).countDown();
        try {
            assertTrue(gate(id).await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "gate " + id + " never opened");
        } catch (InterruptedException e) {
            throw new AssertionError("a worker was interrupted", e);
        } finally {
            running.decrementAndGet();
        }
        if (id.startsWith("fail")) {
            throw new SandboxSetupException("exec", "not found", 127, null);
        }
        if (id.startsWith("boom")) {
            throw new IllegalStateException("stdin vanished");
        }
        return new RunResult(id, Status.OK, OptionalInt.of(0), OptionalInt.empty(), 0, 0, 0, 0, 0, false,
                Optional.empty(), "", PROFILE.name(), PROFILE.sha256(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                new byte[0], new byte[0], 0, org.sandboxrunner.core.run.DeniedSyscalls.off("a fake run"));
    };

    private BatchRunner pool(int workers, int capacity) {
        return BatchRunner.start(gatedRun, workers, capacity, outcomes::add);
    }

    private void awaitStarted(String id) throws InterruptedException {
        assertTrue(startedLatch(id).await(PATIENCE.toSeconds(), TimeUnit.SECONDS), id + " never started");
    }

    @Test
    void aFullQueueRefusesTrySubmitAndBlocksSubmitUntilAWorkerTakesAJob() throws Exception {
        BatchRunner pool = pool(1, 1);
        pool.submit(job("a"));
        awaitStarted("a");                       // the worker holds a; the queue is empty
        assertTrue(pool.trySubmit(job("b")));     // b waits in the queue, which is now full
        assertFalse(pool.trySubmit(job("c")));
        CountDownLatch submitted = new CountDownLatch(1);
        Thread submitter = new Thread(() -> {
            try {
                pool.submit(job("c"));
                submitted.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        submitter.start();
        assertFalse(submitted.await(200, TimeUnit.MILLISECONDS), "submit did not wait for room");
        assertEquals(1, pool.queued());
        gate("a").countDown();                   // a ends, the worker takes b, c gets its place
        assertTrue(submitted.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        gate("b").countDown();
        gate("c").countDown();
        pool.close();
        assertEquals(List.of("a", "b", "c"), ids());
    }

    @Test
    void outcomesComeInTheOrderJobsFinishWithNoMoreRunsAtOnceThanWorkers() throws Exception {
        BatchRunner pool = pool(3, 10);
        for (String id : List.of("a", "b", "c", "d")) {
            pool.submit(job(id));
        }
        awaitStarted("a");
        awaitStarted("b");
        awaitStarted("c");
        gate("c").countDown();
        awaitStarted("d");
        gate("d").countDown();
        waitForOutcomes(2);
        gate("a").countDown();
        waitForOutcomes(3);
        gate("b").countDown();
        pool.close();
        assertEquals(List.of("c", "d", "a", "b"), ids());
        assertEquals(3, mostAtOnce.get());
        // close() returns once every worker has counted itself out; the thread itself ends just after.
        for (Thread t : pool.workerThreads()) {
            t.join(PATIENCE.toMillis());
            assertFalse(t.isAlive(), t.getName());
        }
    }

    @Test
    void aFailingJobIsAnOutcomeAndTheOthersGoOn() throws Exception {
        BatchRunner pool = pool(1, 10);
        for (String id : List.of("fail-1", "boom-2", "ok-3")) {
            pool.submit(job(id));
            gate(id).countDown();
        }
        pool.close();
        assertEquals(List.of("fail-1", "boom-2", "ok-3"), ids());
        BatchOutcome.NotRun setup = (BatchOutcome.NotRun) outcomes.get(0);
        assertEquals("exec", setup.failure().step());
        assertEquals(127, setup.failure().exitCode());
        assertEquals(Status.XX, setup.status());
        assertEquals("exec", setup.toJson().failedStep());
        BatchOutcome.NotRun other = (BatchOutcome.NotRun) outcomes.get(1);
        assertEquals(BatchRunner.RUNNER_STEP, other.failure().step());
        assertEquals("stdin vanished", other.failure().getMessage());
        assertEquals(Status.OK, outcomes.get(2).status());
    }

    @Test
    void cancelDropsTheQueuedJobsAndLetsTheRunningOneFinish() throws Exception {
        BatchRunner pool = pool(1, 10);
        for (String id : List.of("a", "b", "c")) {
            pool.submit(job(id));
        }
        awaitStarted("a");
        List<BatchJob> dropped = pool.cancel();
        assertEquals(List.of("b", "c"), dropped.stream().map(BatchJob::id).toList());
        assertThrows(RejectedExecutionException.class, () -> pool.submit(job("d")));
        assertThrows(RejectedExecutionException.class, () -> pool.trySubmit(job("d")));
        assertFalse(pool.awaitTermination(Duration.ofMillis(100)), "ended while a run was still going");
        gate("a").countDown();
        assertTrue(pool.awaitTermination(PATIENCE));
        assertEquals(List.of("a"), ids());
    }

    @Test
    void anInterruptDuringCloseDropsTheQueueButWaitsForTheRunningJob() throws Exception {
        BatchRunner pool = pool(1, 10);
        for (String id : List.of("a", "b")) {
            pool.submit(job(id));
        }
        awaitStarted("a");
        Thread closer = new Thread(pool::close);
        closer.start();
        closer.interrupt();
        closer.join(300);
        assertTrue(closer.isAlive(), "close returned while a run was still going");
        gate("a").countDown();
        closer.join(PATIENCE.toMillis());
        assertFalse(closer.isAlive());
        assertEquals(List.of("a"), ids(), "b was queued when close was interrupted and must not run");
    }

    @Test
    void aSubmitterWaitingForRoomIsRefusedWhenTheBatchIsCancelled() throws Exception {
        BatchRunner pool = pool(1, 1);
        pool.submit(job("a"));
        awaitStarted("a");
        pool.submit(job("b"));
        List<Throwable> thrown = Collections.synchronizedList(new ArrayList<>());
        Thread submitter = new Thread(() -> {
            try {
                pool.submit(job("c"));
            } catch (Throwable t) {
                thrown.add(t);
            }
        });
        submitter.start();
        Thread.sleep(100);
        pool.cancel();
        submitter.join(PATIENCE.toMillis());
        assertEquals(1, thrown.size());
        assertTrue(thrown.get(0) instanceof RejectedExecutionException, thrown.get(0).toString());
        gate("a").countDown();
        pool.close();
        assertEquals(List.of("a"), ids());
    }

    @Test
    void aSinkThatThrowsStopsTheBatchAndCloseSaysWhy() throws Exception {
        IllegalStateException diskFull = new IllegalStateException("disk full");
        BatchRunner pool = BatchRunner.start(gatedRun, 1, 10, o -> {
            throw diskFull;
        });
        for (String id : List.of("a", "b")) {
            pool.submit(job(id));
        }
        gate("a").countDown();
        assertSame(diskFull, assertThrows(IllegalStateException.class, pool::close));
        assertEquals(1, startedLatch("b").getCount(), "b ran after the sink failed");
    }

    @Test
    void sizesMustBePositive() {
        assertEquals("a batch needs at least one worker, got 0",
                assertThrows(IllegalArgumentException.class, () -> pool(0, 1)).getMessage());
        assertEquals("the batch queue must hold at least one job, got 0",
                assertThrows(IllegalArgumentException.class, () -> pool(1, 0)).getMessage());
    }

    private void waitForOutcomes(int n) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (outcomes.size() < n) {
            assertTrue(System.nanoTime() < deadline, "only " + outcomes.size() + " outcomes");
            Thread.sleep(5);
        }
    }

    private List<String> ids() {
        synchronized (outcomes) {
            return outcomes.stream().map(BatchOutcome::id).toList();
        }
    }
}
