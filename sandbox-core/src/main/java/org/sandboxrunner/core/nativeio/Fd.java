package org.sandboxrunner.core.nativeio;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An open file descriptor owned by the runner. Closing is idempotent: the descriptor number is closed
 * exactly once, so a number reused by another open cannot be closed by mistake.
 */
public final class Fd implements AutoCloseable {
    private final int fd;
    private final AtomicBoolean closed = new AtomicBoolean();

    Fd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a descriptor: " + fd);
        }
        this.fd = fd;
    }

    /** The descriptor number; only valid while this object is open. */
    public int number() {
        if (closed.get()) {
            throw new IllegalStateException("descriptor " + fd + " is closed");
        }
        return fd;
    }

    public boolean isOpen() {
        return !closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            Posix.closeQuietly(fd);
        }
    }

    @Override
    public String toString() {
        return "fd " + fd + (closed.get() ? " (closed)" : "");
    }
}
