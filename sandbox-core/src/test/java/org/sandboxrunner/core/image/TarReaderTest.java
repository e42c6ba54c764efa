package org.sandboxrunner.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The tar reader's edges: truncation as Go's archive/tar sees it, checksums, types, PAX and base-256. */
class TarReaderTest {

    private static TarReader reader(byte[] tar) {
        return new TarReader(new ByteArrayInputStream(tar));
    }

    private static byte[] data(TarReader r) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[7];
        for (int n = r.read(b, 0, b.length); n >= 0; n = r.read(b, 0, b.length)) {
            out.write(b, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void anArchiveEndingRightAfterTheLastFilesDataIsComplete() throws Exception {
        byte[] full = TestTar.build(t -> t.file("a", "hello", 0644));
        byte[] truncated = Arrays.copyOf(full, 512 + 5);
        TarReader r = reader(truncated);
        TarEntry e = r.next();
        assertEquals("a", e.name());
        assertEquals("hello", new String(data(r)));
        assertNull(r.next());
    }

    @Test
    void anArchiveEndingInsideDataOrPaddingIsRefused() throws Exception {
        byte[] full = TestTar.build(t -> t.file("a", "hello", 0644).file("b", "x", 0644));
        TarReader insideData = reader(Arrays.copyOf(full, 512 + 3));
        insideData.next();
        assertEquals("tar stream ends inside an entry's data",
                assertThrows(ImageException.class, () -> data(insideData)).getMessage());
        TarReader insidePadding = reader(Arrays.copyOf(full, 512 + 100));
        insidePadding.next();
        assertEquals("tar stream ends inside an entry's padding",
                assertThrows(ImageException.class, insidePadding::next).getMessage());
    }

    @Test
    void aBadChecksumIsRefused() throws Exception {
        byte[] tar = TestTar.build(t -> t.file("a", "x", 0644));
        tar[0] = 'b';
        assertEquals("tar header checksum mismatch (stored " + checksumOf(tar, 'a') + ", computed "
                + checksumOf(tar, 'b') + ")", assertThrows(ImageException.class, () -> reader(tar).next()).getMessage());
    }

    @Test
    void sparseFilesAreRefused() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TestTar(out).header("sparse", 'S', 0644, 0, "", 0, 0, 0, 0);
        assertEquals("tar entry \"sparse\" has unsupported type 'S'",
                assertThrows(ImageException.class, () -> reader(out.toByteArray()).next()).getMessage());
    }

    @Test
    void paxRecordsOverrideTheHeader() throws Exception {
        String longName = "d/" + "n".repeat(150);
        TarReader r = reader(TestTar.build(t -> t.pax("mtime", "1700000000.5").file(longName, "x", 0644)));
        TarEntry e = r.next();
        assertEquals(longName, e.name());
        assertEquals(1_700_000_000L, e.mtime());
    }

    @Test
    void base256SizesAreRead() throws Exception {
        byte[] tar = TestTar.build(t -> t.file("a", "hello", 0644));
        Arrays.fill(tar, 124, 136, (byte) 0);
        tar[124] = (byte) 0x80;
        tar[135] = 5;
        Arrays.fill(tar, 148, 156, (byte) ' ');
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += tar[i] & 0xff;
        }
        byte[] octal = String.format("%06o\0 ", sum).getBytes();
        System.arraycopy(octal, 0, tar, 148, 8);
        TarReader r = reader(tar);
        assertEquals(5, r.next().size());
        assertEquals("hello", new String(data(r)));
    }

    private static long checksumOf(byte[] tar, char first) {
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            byte b = i == 0 ? (byte) first : tar[i];
            sum += (i >= 148 && i < 156) ? ' ' : (b & 0xff);
        }
        return sum;
    }
}
