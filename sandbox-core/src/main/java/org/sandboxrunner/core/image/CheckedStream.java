package org.sandboxrunner.core.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream whose subclasses see every byte through {@link #read(byte[], int, int)}: single-byte reads and
 * skips are routed there, so hashing, counting and limits can never be bypassed; mark/reset is off.
 */
abstract class CheckedStream extends FilterInputStream {

    CheckedStream(InputStream in) {
        super(in);
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public final long skip(long n) throws IOException {
        byte[] buffer = new byte[8192];
        long done = 0;
        while (done < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    @Override
    public final boolean markSupported() {
        return false;
    }

    /** Reads to the end of the stream, every byte through {@link #read(byte[], int, int)}. */
    final void drain() throws IOException {
        byte[] buffer = new byte[65536];
        while (read(buffer, 0, buffer.length) >= 0) {
            // consumed: the subclass's read() does the checking
        }
    }
}
