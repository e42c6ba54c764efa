package org.sandboxrunner.seccomp;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, which every Java platform has (MessageDigest's required algorithms). */
final class Sha256 {
    static final int SIZE = 32;

    private Sha256() {}

    static byte[] of(byte[] data, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(data, 0, length);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java platform has no SHA-256", e);
        }
    }

    static String hex(byte[] data) {
        return HexFormat.of().formatHex(of(data, data.length));
    }
}
