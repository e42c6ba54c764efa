package org.sandboxrunner.core.image;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Passes a blob through while hashing it, and refuses it the moment it is longer than its descriptor's
 * size; at end of stream it checks the length, then the digest. Callers must read to the end (or call
 * {@link #drainAndVerify()}) before trusting anything they derived from the bytes.
 */
final class VerifyingBlobStream extends CheckedStream {

    private final Descriptor descriptor;
    private final MessageDigest hasher;
    private long count;
    private boolean verified;

    VerifyingBlobStream(InputStream in, Descriptor descriptor) {
        super(in);
        this.descriptor = descriptor;
        this.hasher = descriptor.digest().newHasher();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        // Ask for at most one byte past the declared size: enough to see that the blob is too long.
        long allowed = descriptor.size() + 1 - count;
        int n = in.read(b, off, (int) Math.min(len, Math.max(1, allowed)));
        if (n < 0) {
            verifyAtEnd();
            return -1;
        }
        count += n;
        if (count > descriptor.size()) {
            throw new BlobMismatchException("blob " + descriptor.digest() + " is larger than its descriptor's size "
                    + descriptor.size());
        }
        hasher.update(b, off, n);
        return n;
    }

    /** Reads whatever is left (at most size + 1 bytes in all) and verifies length and digest. */
    void drainAndVerify() throws IOException {
        drain();
    }

    private void verifyAtEnd() throws BlobMismatchException {
        if (verified) {
            return;
        }
        if (count != descriptor.size()) {
            throw new BlobMismatchException("blob " + descriptor.digest() + " is " + count
                    + " bytes, but its descriptor says " + descriptor.size());
        }
        Digest actual = descriptor.digest().withValue(hasher.digest());
        if (!actual.equals(descriptor.digest())) {
            throw new BlobMismatchException("blob " + descriptor.digest() + " has digest " + actual);
        }
        verified = true;
    }
}
