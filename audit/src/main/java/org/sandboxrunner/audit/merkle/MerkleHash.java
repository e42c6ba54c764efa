package org.sandboxrunner.audit.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hash functions of an RFC 6962 (section 2.1) Merkle tree over SHA-256: a leaf is hashed as
 * {@code SHA-256(0x00 || data)} and an interior node as {@code SHA-256(0x01 || left || right)}, so a
 * leaf can never be passed off as a node (second-preimage protection).
 */
public final class MerkleHash {

    /** Length in bytes of every hash in the tree. */
    public static final int SIZE = 32;

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    private MerkleHash() {
    }

    /** RFC 6962: the root of the empty tree is the hash of the empty string. */
    public static byte[] emptyRoot() {
        return sha256().digest();
    }

    public static byte[] leaf(byte[] data) {
        MessageDigest digest = leafDigest();
        digest.update(data);
        return digest.digest();
    }

    /** A digest already fed the leaf prefix, for hashing a leaf as it streams in. */
    public static MessageDigest leafDigest() {
        MessageDigest digest = sha256();
        digest.update(LEAF_PREFIX);
        return digest;
    }

    public static byte[] node(byte[] left, byte[] right) {
        MessageDigest digest = sha256();
        digest.update(NODE_PREFIX);
        digest.update(left);
        digest.update(right);
        return digest.digest();
    }

    /** A fresh SHA-256 digest; SHA-256 is mandatory in every Java platform, so its absence is a broken JDK. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256, which every Java platform must provide", e);
        }
    }
}
