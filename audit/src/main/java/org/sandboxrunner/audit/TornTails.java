package org.sandboxrunner.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.sandboxrunner.audit.merkle.MerkleHash;

/**
 * {@code FILE.torn}: torn tails that writers moved aside, one JSON line each, with where they were
 * and their bytes. The log records each one in an {@link AuditLog#TORN_TAIL_EVENT} event whose
 * details repeat {@code line}, {@code offset}, {@code length} and {@code sha256}.
 */
final class TornTails {

    /**
     * One moved-aside tail.
     *
     * @param file name of the file it was cut from (the log or its checkpoint history)
     * @param line the line number it would have had
     * @param offset where it started
     * @param length its size in bytes
     * @param sha256 SHA-256 of its bytes, hex
     * @param base64 its bytes
     */
    record Entry(String file, long line, long offset, long length, String sha256, String base64) {

        static Entry of(Path source, JsonLines.TornTail torn) {
            return new Entry(source.getFileName().toString(), torn.number(), torn.offset(), torn.length(),
                    HexFormat.of().formatHex(MerkleHash.sha256().digest(torn.bytes())),
                    Base64.getEncoder().encodeToString(torn.bytes()));
        }

        /** The event that records this entry in the log. */
        AuditEvent event(Path tornFile) {
            var details = AuditEvent.newDetails()
                    .put("line", line)
                    .put("offset", offset)
                    .put("length", length)
                    .put("sha256", sha256)
                    .put("movedTo", tornFile.getFileName().toString());
            return new AuditEvent(AuditLog.TORN_TAIL_EVENT, "recover", AuditResult.SUCCESS, "a writer died while writing line "
                    + line + "; its " + length + " bytes were moved to " + tornFile.getFileName(), AuditObject.NONE, details);
        }

        /** Whether {@code record} is the event that records this entry. */
        boolean recordedBy(AuditRecord record) {
            var details = record.event().details();
            return record.event().type().equals(AuditLog.TORN_TAIL_EVENT) && details.path("offset").asLong(-1) == offset
                    && details.path("sha256").asText().equals(sha256);
        }
    }

    private static final JsonMapper MAPPER = StrictJson.newMapper();

    private TornTails() {
    }

    static void append(Path tornFile, Entry entry) throws IOException {
        AtomicFiles.append(tornFile, StrictJson.line(MAPPER, entry));
    }

    /** The entries cut from {@code source}, oldest first; lines that are not entries are skipped. */
    static List<Entry> read(Path tornFile, Path source) throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (!Files.exists(tornFile)) {
            return entries;
        }
        String name = source.getFileName().toString();
        JsonLines.scan(tornFile, 0, 1, line -> {
            try {
                Entry entry = MAPPER.readValue(line.bytes() == null ? new byte[0] : line.bytes(), Entry.class);
                if (entry.file().equals(name)) {
                    entries.add(entry);
                }
            } catch (JsonProcessingException e) {
                // A torn line of this file itself: the entry was not complete, and the tail it was
                // about is still in place and will be moved again.
            }
        });
        return entries;
    }
}
