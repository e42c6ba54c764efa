package org.sandboxrunner.core.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * Writes ustar archives for tests, entry by entry, including the hostile ones no archiver would make.
 * Names longer than 100 bytes get a PAX {@code path} record.
 */
final class TestTar {

    private final OutputStream out;

    TestTar(OutputStream out) {
        this.out = out;
    }

    static byte[] build(Consumer body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TestTar tar = new TestTar(bytes);
        body.accept(tar);
        tar.finish();
        return bytes.toByteArray();
    }

    interface Consumer {
        void accept(TestTar tar) throws IOException;
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        }
        return bytes.toByteArray();
    }

    TestTar file(String name, String content, int mode) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        header(name, '0', mode, data.length, "", 0, 0, 0, 0);
        out.write(data);
        pad(data.length);
        return this;
    }

    TestTar owned(String name, long uid, long gid) throws IOException {
        header(name, '0', 0644, 0, "", uid, gid, 0, 0);
        return this;
    }

    /** A PAX extended header with one record, applying to the next entry. */
    TestTar pax(String key, String value) throws IOException {
        String record = " " + key + "=" + value + "\n";
        int len = record.getBytes(StandardCharsets.UTF_8).length;
        int total = len + String.valueOf(len).length();
        total = len + String.valueOf(total).length();
        byte[] pax = (total + record).getBytes(StandardCharsets.UTF_8);
        header("PaxHeader", 'x', 0644, pax.length, "", 0, 0, 0, 0);
        out.write(pax);
        pad(pax.length);
        return this;
    }

    TestTar dir(String name, int mode) throws IOException {
        header(name, '5', mode, 0, "", 0, 0, 0, 0);
        return this;
    }

    TestTar symlink(String name, String target) throws IOException {
        header(name, '2', 0777, 0, target, 0, 0, 0, 0);
        return this;
    }

    TestTar hardlink(String name, String target) throws IOException {
        header(name, '1', 0644, 0, target, 0, 0, 0, 0);
        return this;
    }

    TestTar device(String name, char type, int major, int minor) throws IOException {
        header(name, type, 0666, 0, "", 0, 0, major, minor);
        return this;
    }

    /** A header that declares {@code size} bytes, followed by exactly the bytes {@code data} writes. */
    TestTar raw(String name, long size, DataWriter data) throws IOException {
        header(name, '0', 0644, size, "", 0, 0, 0, 0);
        data.write(out);
        pad(size);
        return this;
    }

    interface DataWriter {
        void write(OutputStream out) throws IOException;
    }

    void header(String name, char type, int mode, long size, String link, long uid, long gid, int major, int minor)
            throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 100) {
            pax("path", name);
            nameBytes = name.substring(name.length() - 90).getBytes(StandardCharsets.UTF_8);
        }
        byte[] h = new byte[512];
        System.arraycopy(nameBytes, 0, h, 0, nameBytes.length);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, uid);
        octal(h, 116, 8, gid);
        octal(h, 124, 12, size);
        octal(h, 136, 12, 1_700_000_000L);
        h[156] = (byte) type;
        byte[] l = link.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(l, 0, h, 157, l.length);
        System.arraycopy("ustar\00000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
        octal(h, 329, 8, major);
        octal(h, 337, 8, minor);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 8, sum);
        out.write(h);
    }

    private void pad(long size) throws IOException {
        out.write(new byte[(int) ((512 - size % 512) % 512)]);
    }

    void finish() throws IOException {
        out.write(new byte[1024]);
    }

    private static void octal(byte[] h, int off, int len, long value) {
        String s = Long.toOctalString(value);
        String padded = "0".repeat(len - 1 - s.length()) + s;
        System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, h, off, len - 1);
        h[off + len - 1] = 0;
    }
}
