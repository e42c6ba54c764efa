package org.sandboxrunner.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
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

    private static final JsonMapper MAPPER = StrictJson.newMapper();

    private CheckpointHistory() {
    }

    static void append(Path history, byte[] note) throws IOException {
        AtomicFiles.append(history, StrictJson.line(MAPPER, new Entry(new String(note, StandardCharsets.UTF_8))));
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
