package org.sandboxrunner.core.image;

import java.io.IOException;

/**
 * A file-system call failed: names the function, its argument, errno and strerror, e.g.
 * {@code openat2("etc/passwd"): Too many levels of symbolic links (errno 40)}.
 */
public final class NativeFsException extends IOException {
    private static final long serialVersionUID = 1L;

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int ENOSYS = 38;
    public static final int ELOOP = 40;

    private final String function;
    private final int errno;

    public NativeFsException(String function, String argument, int errno, String strerror) {
        super(function + "(\"" + argument + "\"): " + strerror + " (errno " + errno + ")");
        this.function = function;
        this.errno = errno;
    }

    public String function() {
        return function;
    }

    public int errno() {
        return errno;
    }
}
