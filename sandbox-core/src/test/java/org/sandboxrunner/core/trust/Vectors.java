package org.sandboxrunner.core.trust;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The shared test vectors made by other tools (../shared/vectors, README.md says what each must give). */
public final class Vectors {

    private Vectors() {
    }

    /** The vectors directory; the calling test is skipped, saying why, when the checkout has none beside it. */
    public static Path dir() {
        String shared = System.getProperty("sandbox.shared.dir");
        Path dir = shared == null ? Path.of("does-not-exist") : Path.of(shared, "vectors");
        Assumptions.assumeTrue(Files.isDirectory(dir),
                "the shared test vectors are not beside this checkout (sandbox.shared.dir=" + shared + ")");
        return dir;
    }

    public static byte[] read(String relative) {
        try {
            return Files.readAllBytes(dir().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
