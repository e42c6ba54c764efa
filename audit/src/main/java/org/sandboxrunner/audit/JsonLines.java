package org.sandboxrunner.audit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Optional;
import org.sandboxrunner.audit.merkle.MerkleHash;

/**
 * Reads a newline-terminated file line by line with byte offsets, holding at most one line of
 * {@link AuditLines#MAX_LINE_BYTES} in memory. Bytes after the last newline are a torn tail: a
 * write cut short by a crash. They are reported, never joined to a line and never skipped.
 */
final class JsonLines {

    /**
     * One complete line.
     *
     * @param number 1-based line number
     * @param offset byte offset of its first byte
     * @param length bytes without the newline
     * @param sha256 SHA-256 of the bytes without the newline (what the next line's prev holds)
     * @param leafHash the RFC 6962 leaf hash of the bytes without the newline
     * @param bytes the bytes without the newline, or null when the line is over the limit
     */
    record Line(long number, long offset, long length, byte[] sha256, byte[] leafHash, byte[] bytes) {
    }

    /**
     * Bytes after the last newline.
     *
     * @param number the line number the torn line would have had
     * @param offset its first byte
     * @param bytes at most {@link AuditLines#MAX_LINE_BYTES} of them
     * @param length how many there are
     */
    record TornTail(long number, long offset, byte[] bytes, long length) {
    }

    /**
     * How a scan ended.
     *
     * @param end offset after the last complete line
     * @param lines complete lines read
     * @param tornTail bytes after the last newline, if any
     */
    record End(long end, long lines, Optional<TornTail> tornTail) {
    }

    @FunctionalInterface
    interface Visitor<E extends Exception> {
        void line(Line line) throws E;
    }

    private JsonLines() {
    }

    /** Reads from {@code offset} (which must start a line, numbered {@code firstNumber}) to the end. */
    static <E extends Exception> End scan(Path file, long offset, long firstNumber, Visitor<E> visitor)
            throws IOException, E {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.position(offset);
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
            long position = offset;
            long number = firstNumber;
            long lineStart = offset;
            MessageDigest digest = MerkleHash.sha256();
            MessageDigest leaf = MerkleHash.leafDigest();
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                position++;
                if (b == '\n') {
                    long length = position - 1 - lineStart;
                    byte[] bytes = length <= AuditLines.MAX_LINE_BYTES ? kept.toByteArray() : null;
                    visitor.line(new Line(number, lineStart, length, digest.digest(), leaf.digest(), bytes));
                    leaf = MerkleHash.leafDigest();
                    number++;
                    lineStart = position;
                    kept.reset();
                } else {
                    digest.update((byte) b);
                    leaf.update((byte) b);
                    if (kept.size() <= AuditLines.MAX_LINE_BYTES) {
                        kept.write(b);
                    }
                }
            }
            Optional<TornTail> torn = position == lineStart ? Optional.empty()
                    : Optional.of(new TornTail(number, lineStart, kept.toByteArray(), position - lineStart));
            return new End(lineStart, number - firstNumber, torn);
        }
    }
}
