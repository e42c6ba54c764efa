package org.sandboxrunner.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code FILE.checkpoints}: every signed checkpoint, oldest first, one JSON line each,
 * {@code {"note":"<the signed note, newlines escaped>"}}, so that {@code jq -r .note} gives back the
 * exact note for other signed-note tools.
 */
final class CheckpointHistory {

    /** The wire form of one history line. */
    record Entry(String note) {
    }

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .build();

    private CheckpointHistory() {
    }

    static void append(Path history, byte[] note) throws IOException {
        byte[] line = MAPPER.writeValueAsBytes(new Entry(new String(note, StandardCharsets.UTF_8)));
        byte[] withNewline = new byte[line.length + 1];
        System.arraycopy(line, 0, withNewline, 0, line.length);
        withNewline[line.length] = '\n';
        AtomicFiles.append(history, withNewline);
    }

    /**
     * The note held by one history line.
     *
     * @throws IllegalArgumentException saying why the line is not a history entry
     */
    static byte[] note(byte[] line) {
        try {
            return MAPPER.readValue(line, Entry.class).note().getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a checkpoint history entry: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("reading JSON from memory failed", e);
        }
    }
}
