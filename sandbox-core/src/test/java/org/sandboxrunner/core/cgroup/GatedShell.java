package org.sandboxrunner.core.cgroup;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A shell that waits for a line on stdin before it runs its script, so a test can put it into a
 * cgroup before it forks, as the native stage does with a run's child. Closing it kills it and
 * every descendant it still has.
 */
final class GatedShell implements AutoCloseable {
    private final Process process;

    private GatedShell(Process process) {
        this.process = process;
    }

    /**
     * The script runs in the same process that waited (eval, not exec), so its first command runs
     * already inside the cgroup. Background jobs of the script must not keep stdout open if
     * {@link #output} is to be used.
     */
    static GatedShell start(String script) throws IOException {
        return new GatedShell(new ProcessBuilder("sh", "-c", "read gate; eval \"$1\"", "sh", script)
                .redirectErrorStream(true).start());
    }

    long pid() {
        return process.pid();
    }

    void release() throws IOException {
        OutputStream stdin = process.getOutputStream();
        stdin.write('\n');
        stdin.close();
    }

    /** Waits for the script to end and returns its exit status. */
    int await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the shell did not finish within " + timeout);
        }
        return process.exitValue();
    }

    /** Everything the script printed; call after {@link #await}. */
    String output() throws IOException {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
