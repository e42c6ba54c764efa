package org.sandboxrunner.core.run;

import java.nio.file.Path;
import java.util.Objects;

/** Where the workload's stdout or stderr goes (after the output cap). */
public sealed interface Output {
    /** The runner's own stream (the CLI's default). */
    record Inherit() implements Output {}

    record Discard() implements Output {}

    /** Kept in memory and returned in the result, up to the output limit. */
    record Capture() implements Output {}

    record ToFile(Path file) implements Output {
        public ToFile {
            Objects.requireNonNull(file, "file");
        }
    }

    static Output inherit() {
        return new Inherit();
    }

    static Output discard() {
        return new Discard();
    }

    static Output capture() {
        return new Capture();
    }

    static Output file(Path file) {
        return new ToFile(file);
    }
}
