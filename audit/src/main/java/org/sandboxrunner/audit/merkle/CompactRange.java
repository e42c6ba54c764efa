package org.sandboxrunner.audit.merkle;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The right edge of an RFC 6962 tree of {@code size} leaves: one root per perfect subtree, largest
 * first, one for each set bit of {@code size}. That is all the state needed to append leaves and to
 * compute the root, so a log of any length is summarised by at most 64 hashes and never rescanned.
 * Mutable and not thread-safe; callers own one instance each.
 */
public final class CompactRange {

    private long size;
    private final List<byte[]> subtreeRoots;

    /** The tree with no leaves. */
    public CompactRange() {
        this(0, List.of());
    }

    /**
     * Restores a range from persisted state.
     *
     * @throws IllegalArgumentException when the number of hashes is not the number of set bits of
     *         {@code size} or a hash is not 32 bytes
     */
    public CompactRange(long size, List<byte[]> subtreeRoots) {
        if (size < 0) {
            throw new IllegalArgumentException("tree size " + size + " is negative");
        }
        if (subtreeRoots.size() != Long.bitCount(size)) {
            throw new IllegalArgumentException("a tree of " + size + " leaves has " + Long.bitCount(size)
                    + " perfect subtrees, but " + subtreeRoots.size() + " subtree hashes were given");
        }
        this.subtreeRoots = new ArrayList<>(subtreeRoots.size());
        for (byte[] hash : subtreeRoots) {
            if (hash.length != MerkleHash.SIZE) {
                throw new IllegalArgumentException("a subtree hash has " + hash.length + " bytes, not " + MerkleHash.SIZE);
            }
            this.subtreeRoots.add(hash.clone());
        }
        this.size = size;
    }

    public long size() {
        return size;
    }

    /** The perfect subtree roots, largest subtree first (copies). */
    public List<byte[]> subtreeRoots() {
        List<byte[]> copy = new ArrayList<>(subtreeRoots.size());
        subtreeRoots.forEach(hash -> copy.add(hash.clone()));
        return copy;
    }

    /** Appends one leaf given by its leaf hash: like a binary counter, equal-sized subtrees merge. */
    public void append(byte[] leafHash) {
        if (leafHash.length != MerkleHash.SIZE) {
            throw new IllegalArgumentException("a leaf hash has " + leafHash.length + " bytes, not " + MerkleHash.SIZE);
        }
        byte[] carry = leafHash.clone();
        for (long bits = size; (bits & 1) == 1; bits >>>= 1) {
            carry = MerkleHash.node(subtreeRoots.remove(subtreeRoots.size() - 1), carry);
        }
        subtreeRoots.add(carry);
        size++;
    }

    /**
     * The RFC 6962 tree head: MTH(D[0:n]) = H(0x01 || MTH(D[0:k]) || MTH(D[k:n])) with k the largest
     * power of two below n, which is the subtree roots folded from the right.
     */
    public byte[] root() {
        if (size == 0) {
            return MerkleHash.emptyRoot();
        }
        byte[] root = subtreeRoots.get(subtreeRoots.size() - 1);
        for (int i = subtreeRoots.size() - 2; i >= 0; i--) {
            root = MerkleHash.node(subtreeRoots.get(i), root);
        }
        return root.clone();
    }

    public CompactRange copy() {
        return new CompactRange(size, subtreeRoots);
    }

    @Override
    public String toString() {
        return "CompactRange[size=" + size + ", root=" + HexFormat.of().formatHex(root()) + "]";
    }
}
