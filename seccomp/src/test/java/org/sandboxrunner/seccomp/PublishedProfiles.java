package org.sandboxrunner.seccomp;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** Docker's and Podman's published profiles in the shared vectors (/work/shared/vectors/seccomp/README.md). */
final class PublishedProfiles {
    private PublishedProfiles() {}

    static Path docker() {
        return vector("docker-default.json");
    }

    static Path podman() {
        return vector("podman-default.json");
    }

    private static Path vector(String name) {
        Path dir = Path.of(System.getProperty("sandbox.shared.dir", "../../shared")).resolve("vectors/seccomp");
        Assumptions.assumeTrue(Files.isDirectory(dir), "the shared test vectors are not at " + dir
                + " (set sandbox.shared.dir; the files are never copied into the repository)");
        return dir.resolve(name);
    }
}
