package org.sandboxrunner.core.run;

import java.nio.file.Path;
import java.util.Objects;

/** Where the workload's stdin comes from. */
public sealed interface Input {
    /** The runner's own stdin (the CLI's default). */
    record Inherit() implements Input {}

    /** {@code /dev/null} (the Java API's default). */
    record Empty() implements Input {}

    record FromFile(Path file) implements Input {
        public FromFile {
            Objects.requireNonNull(file, "file");
        }
    }

    static Input inherit() {
        return new Inherit();
    }

    static Input empty() {
        return new Empty();
    }

    static Input file(Path file) {
        return new FromFile(file);
    }
}
