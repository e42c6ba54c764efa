package org.sandboxrunner.core.image;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * The uncompressed layer stream: hashed for the DiffID (sha256 of the whole uncompressed tar, trailing
 * blocks included) and charged against the image's byte budget as it is read.
 */
final class DiffIdStream extends CheckedStream {

    private final MessageDigest hasher = Digest.newSha256();
    private final UnpackBudget budget;

    DiffIdStream(InputStream in, UnpackBudget budget) {
        super(in);
        this.budget = budget;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            budget.bytes(n);
            hasher.update(b, off, n);
        }
        return n;
    }

    /** Reads what is left after the tar's end blocks (still budgeted) and returns the DiffID. */
    Digest drainAndDigest() throws IOException {
        drain();
        return new Digest("sha256", java.util.HexFormat.of().formatHex(hasher.digest()));
    }
}
