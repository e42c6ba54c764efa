package org.sandboxrunner.audit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The vectors other tools made, in the shared directory surefire names; tests skip only when it is absent. */
public final class SharedVectors {

    private SharedVectors() {
    }

    /** {@code <shared>/vectors/<name>}, or the test is skipped with the reason. */
    public static Path dir(String name) {
        String shared = System.getProperty("sandbox.shared.dir");
        assumeTrue(shared != null, "system property sandbox.shared.dir is not set (surefire sets it)");
        Path dir = Path.of(shared, "vectors", name);
        assumeTrue(Files.isDirectory(dir), "shared vectors " + dir + " are absent");
        return dir;
    }
}
