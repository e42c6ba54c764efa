package org.sandboxrunner.core.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest as the OCI image spec writes it ({@code algorithm ":" encoded}), restricted to the two
 * registered algorithms, sha256 and sha512, with lowercase hex of the exact length. The grammar is checked
 * here, before any file name is built from a digest, so a descriptor can never name a path such as
 * {@code sha256:../../etc/passwd}.
 */
public record Digest(String algorithm, String hex) {

    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

    public Digest {
        if (algorithm == null || hex == null) {
            throw new IllegalArgumentException("digest algorithm and hex must not be null");
        }
        Pattern grammar = switch (algorithm) {
            case "sha256" -> SHA256;
            case "sha512" -> SHA512;
            default -> throw new IllegalArgumentException(
                    "unsupported digest algorithm \"" + algorithm + "\" (supported: sha256, sha512)");
        };
        if (!grammar.matcher(hex).matches()) {
            throw new IllegalArgumentException("invalid " + algorithm + " digest \"" + hex
                    + "\": expected " + (algorithm.equals("sha256") ? 64 : 128) + " lowercase hex digits");
        }
    }

    /** Parses {@code sha256:<64 hex>} or {@code sha512:<128 hex>}; anything else is refused. */
    public static Digest parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("digest must not be null");
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("invalid digest \"" + text + "\": expected algorithm:hex");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    /** The sha256 digest of the given bytes. */
    public static Digest sha256(byte[] data) {
        return new Digest("sha256", HexFormat.of().formatHex(newSha256().digest(data)));
    }

    /** A fresh hasher for this digest's algorithm. */
    public MessageDigest newHasher() {
        return hasher(algorithm);
    }

    /** Whether these bytes hash to this digest (with this digest's own algorithm). */
    public boolean matches(byte[] data) {
        return MessageDigest.isEqual(newHasher().digest(data), HexFormat.of().parseHex(hex));
    }

    /** Builds a digest of this digest's algorithm from a finished hasher. */
    public Digest withValue(byte[] value) {
        return new Digest(algorithm, HexFormat.of().formatHex(value));
    }

    public static MessageDigest newSha256() {
        return hasher("sha256");
    }

    private static MessageDigest hasher(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides " + algorithm, e);
        }
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
