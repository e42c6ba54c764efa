package org.sandboxrunner.seccomp;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The watchdog with work that blocks the way a spinning native call does (a latch no interrupt opens),
 * since the libseccomp shapes that spin are refused by LoopGuard before they reach libseccomp.
 */
class CompileWatchdogTest {
    private final CompileWatchdog watchdog = new CompileWatchdog(Duration.ofMillis(200), "2.5.4");

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void passesResultsAndExceptionsThrough() {
        assertEquals("bpf", watchdog.call(() -> "bpf"));
        SeccompException e = assertThrows(SeccompException.class, () -> watchdog.call(() -> {
            throw new SeccompException("seccomp_rule_add_array(getppid, ...): Invalid argument");
        }));
        assertEquals("seccomp_rule_add_array(getppid, ...): Invalid argument", e.getMessage());
    }

    @Test
    void abandonsACallPastTheDeadlineAndBoundsHowManyStayAbandoned() throws InterruptedException {
        int before = CompileWatchdog.abandoned();
        CountDownLatch release = new CountDownLatch(1);
        long start = System.nanoTime();
        SeccompException e = assertThrows(SeccompException.class, () -> watchdog.call(() -> {
            awaitUninterruptibly(release);
            return "late";
        }));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
        assertEquals("linux.seccomp: libseccomp 2.5.4 did not finish compiling the section within 200 ms"
                + " (seccomp_rule_add_array can loop forever on some rule sets); the profile is refused and the call abandoned"
                + " (docs/seccomp.md, Known defects)", e.getMessage());
        assertEquals(before + 1, CompileWatchdog.abandoned());
        for (int i = before + 1; i < CompileWatchdog.MAX_ABANDONED; i++) {
            assertThrows(SeccompException.class, () -> watchdog.call(() -> {
                awaitUninterruptibly(release);
                return "late";
            }));
        }
        SeccompException full = assertThrows(SeccompException.class, () -> watchdog.call(() -> "bpf"));
        assertEquals("linux.seccomp: not compiled: " + CompileWatchdog.MAX_ABANDONED + " earlier compilations are still stuck"
                + " inside libseccomp 2.5.4; restart the runner", full.getMessage());
        // Calls that finish after all give their slots back.
        release.countDown();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (CompileWatchdog.abandoned() != before && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(before, CompileWatchdog.abandoned());
        assertEquals("bpf", watchdog.call(() -> "bpf"));
    }
}
