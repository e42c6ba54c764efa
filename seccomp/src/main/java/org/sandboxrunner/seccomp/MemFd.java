package org.sandboxrunner.seccomp;

import com.sun.jna.LastErrorException;

/**
 * An anonymous in-memory file (memfd_create(2)) that libseccomp exports into, read back from offset
 * 0. Close-on-exec, so it never leaks into a child. Closing twice is harmless.
 */
final class MemFd implements AutoCloseable {
    private final CLibrary libc;
    private final String name;
    private final int fd;
    private boolean closed;

    private MemFd(CLibrary libc, String name, int fd) {
        this.libc = libc;
        this.name = name;
        this.fd = fd;
    }

    static MemFd create(CLibrary libc, String name) {
        try {
            return new MemFd(libc, name, libc.memfd_create(name, CLibrary.MFD_CLOEXEC));
        } catch (LastErrorException e) {
            throw failure(libc, "memfd_create(" + name + ")", e);
        }
    }

    int fd() {
        if (closed) {
            throw new IllegalStateException("memfd " + name + " is closed");
        }
        return fd;
    }

    /** Everything written so far, whatever the current offset. */
    byte[] readAll() {
        int fd = fd();
        long size;
        try {
            size = libc.lseek(fd, 0, CLibrary.SEEK_END);
        } catch (LastErrorException e) {
            throw failure(libc, "lseek(" + name + ", SEEK_END)", e);
        }
        if (size > Integer.MAX_VALUE) {
            throw new SeccompException("memfd " + name + " holds " + size + " bytes, more than this module ever exports");
        }
        byte[] data = new byte[(int) size];
        int done = 0;
        while (done < data.length) {
            byte[] chunk = new byte[data.length - done];
            long n;
            try {
                n = libc.pread(fd, chunk, chunk.length, done);
            } catch (LastErrorException e) {
                throw failure(libc, "pread(" + name + ", offset " + done + ")", e);
            }
            if (n == 0) {
                throw new SeccompException("memfd " + name + " ended at byte " + done + " of " + data.length);
            }
            System.arraycopy(chunk, 0, data, done, (int) n);
            done += (int) n;
        }
        return data;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            libc.close(fd);
        } catch (LastErrorException e) {
            throw failure(libc, "close(" + name + ")", e);
        }
    }

    static LibSeccompException failure(CLibrary libc, String call, LastErrorException e) {
        LibSeccompException failure = new LibSeccompException(call, e.getErrorCode(), libc.strerror(e.getErrorCode()));
        failure.initCause(e);
        return failure;
    }
}
