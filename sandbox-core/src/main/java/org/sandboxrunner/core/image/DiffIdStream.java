package org.sandboxrunner.core.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * The uncompressed layer stream: hashed for the DiffID (sha256 of the whole uncompressed tar, trailing
 * blocks included) and charged against the image's byte budget as it is read.
 */
final class DiffIdStream extends FilterInputStream {

    private final MessageDigest hasher = Digest.newSha256();
    private final UnpackBudget budget;

    DiffIdStream(InputStream in, UnpackBudget budget) {
        super(in);
        this.budget = budget;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            budget.bytes(n);
            hasher.update(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
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
    public boolean markSupported() {
        return false;
    }

    /** Reads what is left after the tar's end blocks (still budgeted) and returns the DiffID. */
    Digest drainAndDigest() throws IOException {
        byte[] buffer = new byte[65536];
        while (read(buffer, 0, buffer.length) >= 0) {
            // consumed: counted and hashed by read()
        }
        return new Digest("sha256", java.util.HexFormat.of().formatHex(hasher.digest()));
    }
}
