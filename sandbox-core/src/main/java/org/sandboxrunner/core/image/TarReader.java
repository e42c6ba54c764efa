package org.sandboxrunner.core.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A strict reader of the tar formats image layers use (POSIX ustar and pax, GNU long names; see
 * pax(1) and GNU tar's "Basic Tar Format"): every header's checksum is verified, sizes are octal or GNU
 * base-256, PAX records override {@code path}, {@code linkpath}, {@code size}, {@code uid}, {@code gid} and
 * {@code mtime}, and anything else (sparse files, volume headers, unknown types) is refused. Names must be
 * valid UTF-8. Extended headers are bounded so a hostile header cannot make it buffer much.
 */
final class TarReader {

    static final int BLOCK = 512;
    static final int MAX_EXTENDED_HEADER = 1 << 20;

    private final InputStream in;
    private long remaining;
    private long padding;
    private boolean ended;

    TarReader(InputStream in) {
        this.in = in;
    }

    /** The next entry, or null after the end-of-archive blocks (or a clean end of stream). */
    TarEntry next() throws IOException, ImageException {
        if (!skipRest()) {
            ended = true;
            return null;
        }
        String longName = null;
        String longLink = null;
        java.util.Map<String, String> pax = java.util.Map.of();
        while (!ended) {
            byte[] header = in.readNBytes(BLOCK);
            if (header.length == 0) {
                ended = true;
                return null;
            }
            if (header.length < BLOCK) {
                throw new ImageException("tar stream ends inside a header");
            }
            if (isZero(header)) {
                ended = true;
                return null;
            }
            verifyChecksum(header);
            char flag = (char) header[156];
            long size = number(header, 124, 12, "size");
            switch (flag) {
                case 'x' -> {
                    pax = parsePax(readExtended(size, "pax header"));
                    continue;
                }
                case 'g' -> {
                    readExtended(size, "pax global header");
                    continue;
                }
                case 'L' -> {
                    longName = cString(readExtended(size, "GNU long name"));
                    continue;
                }
                case 'K' -> {
                    longLink = cString(readExtended(size, "GNU long link"));
                    continue;
                }
                default -> {
                    // an entry header: handled below
                }
            }
            TarEntry.Type type = switch (flag) {
                case '0', '\0', '7' -> TarEntry.Type.FILE;
                case '1' -> TarEntry.Type.HARDLINK;
                case '2' -> TarEntry.Type.SYMLINK;
                case '3' -> TarEntry.Type.CHAR_DEVICE;
                case '4' -> TarEntry.Type.BLOCK_DEVICE;
                case '5' -> TarEntry.Type.DIRECTORY;
                case '6' -> TarEntry.Type.FIFO;
                default -> throw new ImageException("tar entry \"" + field(header, 0, 100)
                        + "\" has unsupported type '" + printable(flag) + "'");
            };
            String name = field(header, 0, 100);
            if (isUstar(header)) {
                String prefix = field(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
            }
            if (longName != null) {
                name = longName;
            }
            String link = longLink != null ? longLink : field(header, 157, 100);
            name = pax.getOrDefault("path", name);
            link = pax.getOrDefault("linkpath", link);
            size = paxNumber(pax, "size", size);
            long uid = paxNumber(pax, "uid", number(header, 108, 8, "uid"));
            long gid = paxNumber(pax, "gid", number(header, 116, 8, "gid"));
            long mtime = pax.containsKey("mtime") ? paxTime(pax.get("mtime")) : number(header, 136, 12, "mtime");
            int mode = (int) (number(header, 100, 8, "mode") & 07777);
            int major = 0;
            int minor = 0;
            if (type == TarEntry.Type.CHAR_DEVICE || type == TarEntry.Type.BLOCK_DEVICE) {
                major = (int) number(header, 329, 8, "devmajor");
                minor = (int) number(header, 337, 8, "devminor");
            }
            // Only regular files carry data; other types with a size have it skipped (pax(1)).
            remaining = size;
            padding = (BLOCK - size % BLOCK) % BLOCK;
            return new TarEntry(name, type, mode, uid, gid, type == TarEntry.Type.FILE ? size : 0, mtime, link,
                    major, minor);
        }
        return null;
    }

    /** Reads the current entry's data; returns -1 at its end. */
    int read(byte[] buffer, int off, int len) throws IOException, ImageException {
        if (remaining <= 0) {
            return -1;
        }
        int n = in.read(buffer, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new ImageException("tar stream ends inside an entry's data");
        }
        remaining -= n;
        return n;
    }

    /**
     * Skips what is left of the current entry's data, then its padding. Returns false when the stream ends
     * exactly where the padding should start: Go's archive/tar accepts such an archive as complete (umoci
     * 0.4 writes layers without the last padding and end blocks), and their DiffIDs cover exactly those
     * bytes. The stream ending inside data or inside padding is an error.
     */
    private boolean skipRest() throws IOException, ImageException {
        skipExactly(remaining);
        remaining = 0;
        long pad = padding;
        padding = 0;
        if (pad == 0) {
            return true;
        }
        byte[] buffer = new byte[(int) pad];
        int n = in.readNBytes(buffer, 0, buffer.length);
        if (n == 0) {
            return false;
        }
        if (n < pad) {
            throw new ImageException("tar stream ends inside an entry's padding");
        }
        return true;
    }

    private void skipExactly(long n) throws IOException, ImageException {
        byte[] buffer = new byte[8192];
        while (n > 0) {
            int r = in.read(buffer, 0, (int) Math.min(buffer.length, n));
            if (r < 0) {
                throw new ImageException("tar stream ends inside an entry");
            }
            n -= r;
        }
    }

    private byte[] readExtended(long size, String what) throws IOException, ImageException {
        if (size > MAX_EXTENDED_HEADER) {
            throw new ImageException("tar " + what + " of " + size + " bytes is larger than " + MAX_EXTENDED_HEADER);
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw new ImageException("tar stream ends inside a " + what);
        }
        skipExactly((BLOCK - size % BLOCK) % BLOCK);
        return data;
    }

    /** PAX records: {@code "%d %s=%s\n"}, the length counting the whole record. */
    private static java.util.Map<String, String> parsePax(byte[] data) throws ImageException {
        java.util.Map<String, String> result = new java.util.HashMap<>();
        int pos = 0;
        while (pos < data.length) {
            int space = pos;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new ImageException("tar pax header has a record without a length", e);
            }
            if (length <= space - pos + 1 || pos + length > data.length || data[pos + length - 1] != '\n') {
                throw new ImageException("tar pax header has a malformed record");
            }
            String record = utf8(data, space + 1, pos + length - 1 - (space + 1), "pax record");
            int eq = record.indexOf('=');
            if (eq <= 0) {
                throw new ImageException("tar pax header has a record without '='");
            }
            result.put(record.substring(0, eq), record.substring(eq + 1));
            pos += length;
        }
        return result;
    }

    private static long paxNumber(java.util.Map<String, String> pax, String key, long fallback) throws ImageException {
        String v = pax.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ImageException("tar pax " + key + " \"" + v + "\" is not a non-negative integer", e);
        }
    }

    private static long paxTime(String v) throws ImageException {
        String whole = v.contains(".") ? v.substring(0, v.indexOf('.')) : v;
        try {
            return Long.parseLong(whole);
        } catch (NumberFormatException e) {
            throw new ImageException("tar pax mtime \"" + v + "\" is not a number", e);
        }
    }

    /** Octal (NUL/space padded) or, with the high bit of the first byte set, GNU base-256. */
    private static long number(byte[] h, int off, int len, String what) throws ImageException {
        if ((h[off] & 0x80) != 0) {
            if ((h[off] & 0x40) != 0) {
                throw new ImageException("tar header " + what + " is a negative base-256 number");
            }
            long v = h[off] & 0x3f;
            for (int i = 1; i < len; i++) {
                if ((v >>> 55) != 0) {
                    throw new ImageException("tar header " + what + " overflows");
                }
                v = (v << 8) | (h[off + i] & 0xff);
            }
            return v;
        }
        long v = 0;
        int i = off;
        int end = off + len;
        while (i < end && (h[i] == ' ' || h[i] == 0)) {
            i++;
        }
        boolean digits = false;
        for (; i < end && h[i] >= '0' && h[i] <= '7'; i++) {
            if ((v >>> 60) != 0) {
                throw new ImageException("tar header " + what + " overflows");
            }
            v = (v << 3) | (h[i] - '0');
            digits = true;
        }
        for (; i < end; i++) {
            if (h[i] != ' ' && h[i] != 0) {
                throw new ImageException("tar header " + what + " is not an octal number");
            }
        }
        return digits ? v : 0;
    }

    private static void verifyChecksum(byte[] h) throws ImageException {
        long stored = number(h, 148, 8, "checksum");
        long unsigned = 0;
        for (int i = 0; i < BLOCK; i++) {
            unsigned += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        }
        if (stored != unsigned) {
            throw new ImageException("tar header checksum mismatch (stored " + stored + ", computed " + unsigned + ")");
        }
    }

    private static boolean isUstar(byte[] h) {
        return h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r' && h[262] == 0;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String field(byte[] h, int off, int len) throws ImageException {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return utf8(h, off, end - off, "header name");
    }

    private static String cString(byte[] data) throws ImageException {
        int end = data.length;
        while (end > 0 && data[end - 1] == 0) {
            end--;
        }
        return utf8(data, 0, end, "GNU long name");
    }

    private static String utf8(byte[] data, int off, int len, String what) throws ImageException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data, off, len)).toString();
        } catch (CharacterCodingException e) {
            throw new ImageException("tar " + what + " is not valid UTF-8", e);
        }
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c);
    }
}
