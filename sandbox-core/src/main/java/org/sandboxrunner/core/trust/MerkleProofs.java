package org.sandboxrunner.core.trust;

import java.security.MessageDigest;
import java.util.List;
import org.sandboxrunner.core.image.Digest;

/** RFC 6962 / RFC 9162 Merkle tree hashing and inclusion proofs (SHA-256), for transparency-log entries. */
public final class MerkleProofs {

    private MerkleProofs() {
    }

    /** RFC 6962 2.1: the leaf hash is SHA-256(0x00 || leaf). */
    public static byte[] leafHash(byte[] leaf) {
        MessageDigest h = Digest.newSha256();
        h.update((byte) 0);
        h.update(leaf);
        return h.digest();
    }

    private static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest h = Digest.newSha256();
        h.update((byte) 1);
        h.update(left);
        h.update(right);
        return h.digest();
    }

    /**
     * The root an inclusion proof leads to (RFC 9162 2.1.3.2), or an exception when the proof's shape
     * does not fit the index and tree size.
     */
    public static byte[] rootFromInclusionProof(long index, long treeSize, byte[] leafHash, List<byte[]> proof)
            throws TrustException {
        if (index < 0 || treeSize <= 0 || index >= treeSize) {
            throw new TrustException("inclusion proof: index " + index + " is not inside a tree of size " + treeSize);
        }
        if (leafHash.length != 32) {
            throw new TrustException("inclusion proof: the leaf hash is " + leafHash.length + " bytes, not 32");
        }
        long fn = index;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (p.length != 32) {
                throw new TrustException("inclusion proof: a hash is " + p.length + " bytes, not 32");
            }
            if (sn == 0) {
                throw new TrustException("inclusion proof is longer than the tree is deep");
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) {
            throw new TrustException("inclusion proof is shorter than the tree is deep");
        }
        return r;
    }
}
