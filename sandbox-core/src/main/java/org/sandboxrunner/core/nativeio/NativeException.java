package org.sandboxrunner.core.nativeio;

/**
 * A failed libc call: names the function, what it was applied to, and the error as strerror(3)
 * gives it, e.g. {@code open(/tmp/x): No such file or directory (errno 2)}.
 */
public final class NativeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    NativeException(String function, String subject, int errno) {
        super(function + (subject.isEmpty() ? "" : "(" + subject + ")") + ": " + Posix.strerror(errno)
                + " (errno " + errno + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
