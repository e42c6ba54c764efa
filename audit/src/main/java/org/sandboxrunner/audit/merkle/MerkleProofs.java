package org.sandboxrunner.audit.merkle;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Verification of RFC 6962 inclusion (section 2.1.1) and consistency (section 2.1.2) proofs, in the
 * iterative form of RFC 9162 section 2.1.3.2 and 2.1.4.2: a proof is split into the "inner" part,
 * where the path to the leaf still has siblings on both sides, and the "border" part along the right
 * edge of the tree, where every sibling is on the left.
 */
public final class MerkleProofs {

    private MerkleProofs() {
    }

    /**
     * Checks that the leaf with hash {@code leafHash} is at {@code index} in the tree of {@code size}
     * leaves whose root is {@code root}.
     *
     * @throws InvalidProofException saying which condition fails
     */
    public static void verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root)
            throws InvalidProofException {
        if (index < 0 || size < 0) {
            throw new InvalidProofException("index " + index + " and size " + size + " must not be negative");
        }
        if (index >= size) {
            throw new InvalidProofException("leaf index " + index + " is not below tree size " + size);
        }
        requireHash("leaf hash", leafHash);
        requireHashes(proof);
        int inner = innerProofSize(index, size);
        int border = Long.bitCount(index >>> inner);
        if (proof.size() != inner + border) {
            throw new InvalidProofException("inclusion proof for leaf " + index + " of " + size + " has " + proof.size()
                    + " hashes, want " + (inner + border));
        }
        byte[] computed = chainInner(leafHash, proof.subList(0, inner), index);
        computed = chainBorderRight(computed, proof.subList(inner, proof.size()));
        requireMatch("root", computed, root);
    }

    /**
     * Checks that the tree of {@code size1} leaves with root {@code root1} is a prefix of the tree of
     * {@code size2} leaves with root {@code root2}. A proof from the empty tree is refused: every
     * tree extends the empty tree, so such a check proves nothing and only hides a caller's mistake.
     *
     * @throws InvalidProofException saying which condition fails
     */
    public static void verifyConsistency(long size1, long size2, List<byte[]> proof, byte[] root1, byte[] root2)
            throws InvalidProofException {
        if (size1 < 0 || size2 < 0) {
            throw new InvalidProofException("sizes " + size1 + " and " + size2 + " must not be negative");
        }
        if (size2 < size1) {
            throw new InvalidProofException("size2 " + size2 + " is smaller than size1 " + size1);
        }
        if (size1 == 0) {
            throw new InvalidProofException("a consistency proof from the empty tree proves nothing");
        }
        if (size1 == size2) {
            if (!proof.isEmpty()) {
                throw new InvalidProofException("sizes are equal (" + size1 + ") but the proof has " + proof.size() + " hashes");
            }
            requireMatch("root2", root1, root2);
            return;
        }
        if (proof.isEmpty()) {
            throw new InvalidProofException("consistency proof from " + size1 + " to " + size2 + " is empty");
        }
        requireHashes(proof);
        int inner = innerProofSize(size1 - 1, size2);
        int border = Long.bitCount((size1 - 1) >>> inner);
        // The first proof hash is the root of the largest perfect subtree ending at size1, unless
        // size1 is itself a power of two, in which case that subtree is the whole old tree: root1.
        int shift = Long.numberOfTrailingZeros(size1);
        inner -= shift;
        byte[] seed = proof.get(0);
        int start = 1;
        if (size1 == 1L << shift) {
            seed = root1;
            start = 0;
        }
        if (proof.size() != start + inner + border) {
            throw new InvalidProofException("consistency proof from " + size1 + " to " + size2 + " has " + proof.size()
                    + " hashes, want " + (start + inner + border));
        }
        List<byte[]> path = proof.subList(start, proof.size());
        long mask = (size1 - 1) >>> shift;
        byte[] hash1 = chainInnerRight(seed, path.subList(0, inner), mask);
        hash1 = chainBorderRight(hash1, path.subList(inner, path.size()));
        requireMatch("root1", hash1, root1);
        byte[] hash2 = chainInner(seed, path.subList(0, inner), mask);
        hash2 = chainBorderRight(hash2, path.subList(inner, path.size()));
        requireMatch("root2", hash2, root2);
    }

    /** Number of levels on which the paths to leaf {@code index} and to the last leaf diverge. */
    private static int innerProofSize(long index, long size) {
        return 64 - Long.numberOfLeadingZeros(index ^ (size - 1));
    }

    private static byte[] chainInner(byte[] seed, List<byte[]> proof, long index) {
        byte[] hash = seed;
        for (int i = 0; i < proof.size(); i++) {
            hash = ((index >>> i) & 1) == 0 ? MerkleHash.node(hash, proof.get(i)) : MerkleHash.node(proof.get(i), hash);
        }
        return hash;
    }

    /** Like {@link #chainInner} but only the left siblings: those are the nodes the old tree had. */
    private static byte[] chainInnerRight(byte[] seed, List<byte[]> proof, long index) {
        byte[] hash = seed;
        for (int i = 0; i < proof.size(); i++) {
            if (((index >>> i) & 1) == 1) {
                hash = MerkleHash.node(proof.get(i), hash);
            }
        }
        return hash;
    }

    private static byte[] chainBorderRight(byte[] seed, List<byte[]> proof) {
        byte[] hash = seed;
        for (byte[] sibling : proof) {
            hash = MerkleHash.node(sibling, hash);
        }
        return hash;
    }

    private static void requireHashes(List<byte[]> proof) throws InvalidProofException {
        for (int i = 0; i < proof.size(); i++) {
            requireHash("proof hash " + i, proof.get(i));
        }
    }

    private static void requireHash(String what, byte[] hash) throws InvalidProofException {
        if (hash.length != MerkleHash.SIZE) {
            throw new InvalidProofException(what + " has " + hash.length + " bytes, not " + MerkleHash.SIZE);
        }
    }

    private static void requireMatch(String what, byte[] computed, byte[] expected) throws InvalidProofException {
        if (!MessageDigest.isEqual(computed, expected)) {
            throw new InvalidProofException("computed " + what + " " + HexFormat.of().formatHex(computed)
                    + " does not match the given " + HexFormat.of().formatHex(expected));
        }
    }
}
