package org.sandboxrunner.seccomp;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs the libseccomp part of a compilation on its own daemon thread and gives up on it after a
 * deadline. libseccomp 2.5.4 can spin forever inside seccomp_rule_add_array ({@link LoopGuard} refuses
 * the shapes known to do it), and a JNA call cannot be interrupted: an abandoned call keeps its thread
 * and its filter context until the JVM exits. The spin allocates nothing (a hanging rule set held a
 * constant RSS for the seconds it was watched), so each abandoned call costs one thread, one context
 * and one core; at most {@link #MAX_ABANDONED} are abandoned per JVM, after which every compilation is
 * refused until the runner restarts, so memory and CPU stay bounded.
 */
final class CompileWatchdog {
    static final int MAX_ABANDONED = 2;
    private static final AtomicInteger ABANDONED = new AtomicInteger();

    private final Duration deadline;
    private final String libseccompVersion;

    CompileWatchdog(Duration deadline, String libseccompVersion) {
        this.deadline = deadline;
        this.libseccompVersion = libseccompVersion;
    }

    <T> T call(Supplier<T> work) {
        if (ABANDONED.get() >= MAX_ABANDONED) {
            throw new SeccompException("linux.seccomp: not compiled: " + ABANDONED.get() + " earlier compilations are still stuck"
                    + " inside libseccomp " + libseccompVersion + "; restart the runner");
        }
        // 0 running, 1 finished in time, 2 abandoned; a call that finishes after being abandoned frees its slot.
        AtomicInteger state = new AtomicInteger();
        FutureTask<T> task = new FutureTask<>(() -> {
            try {
                return work.get();
            } finally {
                if (!state.compareAndSet(0, 1)) {
                    ABANDONED.decrementAndGet();
                }
            }
        });
        Thread thread = new Thread(task, "libseccomp-compile");
        thread.setDaemon(true);
        thread.start();
        try {
            task.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            return finished(task);
        } catch (TimeoutException e) {
            if (!state.compareAndSet(0, 2)) {
                return finished(task);
            }
            ABANDONED.incrementAndGet();
            throw new SeccompException("linux.seccomp: libseccomp " + libseccompVersion + " did not finish compiling the section"
                    + " within " + deadline.toMillis() + " ms (seccomp_rule_add_array can loop forever on some rule sets);"
                    + " the profile is refused and the call abandoned (docs/seccomp.md, Known defects)");
        } catch (ExecutionException e) {
            return finished(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SeccompException("linux.seccomp: interrupted while libseccomp compiled the section", e);
        }
    }

    /** The result of a finished call, or what it threw, as it threw it. */
    private static <T> T finished(FutureTask<T> task) {
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SeccompException("linux.seccomp: interrupted while libseccomp compiled the section", e);
        }
    }

    /** Calls abandoned and not finished since, in this JVM. */
    static int abandoned() {
        return ABANDONED.get();
    }
}
