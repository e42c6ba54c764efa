package org.sandboxrunner.seccomp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link CompiledFilter} as {@link ProgramCache} stores it: every field of the filter after a magic
 * line, the format number and the cache key it was stored under, then the SHA-256 of all that. A
 * record that is cut short, altered, stored under another key or in another format does not decode.
 */
final class ProgramRecord {
    /** Changes whenever the layout below does, so that older files are read as misses. */
    static final int FORMAT = 1;
    private static final byte[] MAGIC = "sandbox-runner seccomp program\n".getBytes(StandardCharsets.US_ASCII);
    /** Far above any real filter (BPF_MAXINSNS is 4096 instructions), so sizes read are bounded. */
    private static final int MAX_FIELD = 1 << 24;
    private static final int MAX_ITEMS = 1 << 16;

    private ProgramRecord() {}

    static byte[] encode(String key, CompiledFilter filter) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(FORMAT);
            writeString(out, key);
            writeBytes(out, filter.bytes());
            writeString(out, filter.pfc());
            writeStrings(out, filter.skippedSyscalls());
            out.writeBoolean(filter.usesNotify());
            out.writeInt(filter.loadFlags());
            writeStrings(out, filter.architectures().stream().map(Architecture::name).toList());
            writeString(out, filter.libseccompVersion());
            out.flush();
            out.write(Sha256.of(bytes.toByteArray(), bytes.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException saying why the record is not a whole, intact one for {@code key} */
    static CompiledFilter decode(String key, byte[] record) {
        if (record.length < MAGIC.length + Sha256.SIZE) {
            throw new IllegalArgumentException("it is " + record.length + " bytes long, too short for a record");
        }
        int body = record.length - Sha256.SIZE;
        if (!MessageDigest.isEqual(Arrays.copyOfRange(record, body, record.length), Sha256.of(record, body))) {
            throw new IllegalArgumentException("its content does not match the SHA-256 stored with it");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record, 0, body))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException("it is not a sandbox-runner seccomp program");
            }
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalArgumentException("it is in format " + format + ", this runner reads " + FORMAT);
            }
            String storedKey = readString(in);
            if (!storedKey.equals(key)) {
                throw new IllegalArgumentException("it was stored under key " + storedKey);
            }
            byte[] program = readBytes(in);
            String pfc = readString(in);
            List<String> skipped = readStrings(in);
            boolean usesNotify = in.readBoolean();
            int loadFlags = in.readInt();
            List<Architecture> architectures = new ArrayList<>();
            for (String name : readStrings(in)) {
                architectures.add(Architecture.valueOf(name));
            }
            String version = readString(in);
            if (in.available() != 0) {
                throw new IllegalArgumentException("it has " + in.available() + " bytes after its last field");
            }
            return new CompiledFilter(program, pfc, skipped, usesNotify, loadFlags, architectures, version);
        } catch (EOFException e) {
            throw new IllegalArgumentException("it ends inside a field", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayInputStream does not fail
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        writeBytes(out, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeStrings(DataOutputStream out, List<String> values) throws IOException {
        out.writeInt(values.size());
        for (String value : values) {
            writeString(out, value);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_FIELD) {
            throw new IllegalArgumentException("it has a field of " + length + " bytes");
        }
        byte[] value = in.readNBytes(length);
        if (value.length != length) {
            throw new EOFException();
        }
        return value;
    }

    private static String readString(DataInputStream in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    private static List<String> readStrings(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > MAX_ITEMS) {
            throw new IllegalArgumentException("it has a list of " + count + " items");
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(readString(in));
        }
        return values;
    }
}
