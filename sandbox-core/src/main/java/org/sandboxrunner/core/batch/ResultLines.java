package org.sandboxrunner.core.batch;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import org.sandboxrunner.core.run.ResultJson;

/**
 * Writes outcomes as JSON Lines, {@code {"id": ..., "result": <the run's result JSON>}}, one line per
 * job, flushed as it is written so a reader (or a crash) never sees half a line. Thread-safe; after
 * {@link #close} further outcomes are dropped (a batch stopped by a signal writes nothing after its
 * final flush).
 */
public final class ResultLines implements AutoCloseable {
    /** One line of the results file. */
    @JsonPropertyOrder({"id", "result"})
    public record ResultLine(String id, ResultJson result) {}

    private static final ObjectWriter WRITER = JsonMapper.builder().build().writerFor(ResultLine.class);

    private final Writer out;
    private boolean closed;

    public ResultLines(Writer out) {
        this.out = out;
    }

    /** @return false when closed, so the outcome was not written */
    public synchronized boolean write(BatchOutcome outcome) {
        if (closed) {
            return false;
        }
        try {
            out.write(WRITER.writeValueAsString(new ResultLine(outcome.id(), outcome.toJson())));
            out.write('\n');
            out.flush();
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the result of job " + outcome.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the results: " + e.getMessage(), e);
        }
    }
}
