package org.sandboxrunner.tests.escape;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A pseudo-terminal made by the test (posix_openpt through JNA; Java has no terminal API), standing
 * for the terminal a user runs the sandbox from. {@link #pendingInput()} reads, without waiting, what
 * sits in the terminal's input queue: what the user's shell would read next.
 */
final class Pty implements AutoCloseable {
    private static final int O_RDONLY = 0, O_RDWR = 2, O_NOCTTY = 0400, O_NONBLOCK = 04000;

    private interface C extends Library {
        C LIBC = Native.load("c", C.class);

        int posix_openpt(int flags);

        int grantpt(int fd);

        int unlockpt(int fd);

        String ptsname(int fd);

        int open(String path, int flags);

        int read(int fd, byte[] buf, int count);

        int close(int fd);
    }

    private final int master;
    private final Path slave;

    private Pty(int master, Path slave) {
        this.master = master;
        this.slave = slave;
    }

    static Pty open() {
        int master = C.LIBC.posix_openpt(O_RDWR | O_NOCTTY);
        if (master < 0 || C.LIBC.grantpt(master) != 0 || C.LIBC.unlockpt(master) != 0) {
            throw new IllegalStateException("cannot make a pseudo-terminal: errno " + Native.getLastError());
        }
        return new Pty(master, Path.of(C.LIBC.ptsname(master)));
    }

    /** The terminal's device, e.g. /dev/pts/3: what a program started from it has as stdin. */
    Path slave() {
        return slave;
    }

    /** What a reader of the terminal would get now (complete lines: the terminal is in canonical mode). */
    String pendingInput() {
        int fd = C.LIBC.open(slave.toString(), O_RDONLY | O_NOCTTY | O_NONBLOCK);
        if (fd < 0) {
            throw new IllegalStateException("cannot open " + slave + ": errno " + Native.getLastError());
        }
        try {
            StringBuilder sb = new StringBuilder();
            byte[] buf = new byte[4096];
            int n;
            while ((n = C.LIBC.read(fd, buf, buf.length)) > 0) {
                sb.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            return sb.toString();
        } finally {
            C.LIBC.close(fd);
        }
    }

    @Override
    public void close() {
        C.LIBC.close(master);
    }
}
