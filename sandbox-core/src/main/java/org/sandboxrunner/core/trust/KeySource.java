package org.sandboxrunner.core.trust;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a requirement's keys come from: a file ({@code keyPath}) or inline base64 ({@code keyData}). */
public sealed interface KeySource {

    /** Keys are small; a bigger file is refused rather than read. */
    long MAX_KEY_FILE = 1L << 20;

    byte[] load() throws TrustException;

    String describe();

    record File(Path path) implements KeySource {
        @Override
        public byte[] load() throws TrustException {
            try {
                if (Files.size(path) > MAX_KEY_FILE) {
                    throw new TrustException("key file " + path + " is larger than " + MAX_KEY_FILE + " bytes");
                }
                return Files.readAllBytes(path);
            } catch (IOException e) {
                throw new TrustException("cannot read key file " + path + ": " + e, e);
            }
        }

        @Override
        public String describe() {
            return "key file " + path;
        }
    }

    record Data(byte[] bytes, String where) implements KeySource {
        public Data {
            bytes = bytes.clone();
        }

        @Override
        public byte[] load() {
            return bytes.clone();
        }

        @Override
        public String describe() {
            return "keyData of " + where;
        }
    }
}
