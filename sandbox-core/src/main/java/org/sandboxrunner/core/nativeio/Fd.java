package org.sandboxrunner.core.nativeio;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An open file descriptor owned by the runner. Closing is idempotent: the descriptor number is closed
 * exactly once, so a number reused by another open cannot be closed by mistake.
 */
public final class Fd implements AutoCloseable {
    private final int fd;
    private final boolean owned;
    private final AtomicBoolean closed = new AtomicBoolean();

    Fd(int fd) {
        this(fd, true);
    }

    private Fd(int fd, boolean owned) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a descriptor: " + fd);
        }
        this.fd = fd;
        this.owned = owned;
    }

    /**
     * Takes ownership of a descriptor that other native code of the runner opened (close-on-exec, as
     * every descriptor of the runner must be): closing this object closes it.
     */
    public static Fd adopt(int fd) {
        return new Fd(fd, true);
    }

    /** One of the JVM's own standard streams (0, 1, 2), lent to a child: closing it keeps it open. */
    public static Fd standardStream(int fd) {
        if (fd < 0 || fd > 2) {
            throw new IllegalArgumentException("not a standard stream: " + fd);
        }
        return new Fd(fd, false);
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
        if (closed.compareAndSet(false, true) && owned) {
            Posix.closeQuietly(fd);
        }
    }

    @Override
    public String toString() {
        return "fd " + fd + (closed.get() ? " (closed)" : "");
    }
}
