package org.sandboxrunner.core.cgroup;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where {@code /proc} and {@code /sys} are read from: the real root, or a fixture directory laid out
 * the same way in tests. Absolute paths found in /proc files (mount points) are resolved through it.
 */
record HostView(Path root) {

    HostView {
        Objects.requireNonNull(root, "root");
    }

    static HostView real() {
        return new HostView(Path.of("/"));
    }

    /** The file an absolute host path names under this view. */
    Path path(String absolute) {
        if (!absolute.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute path: '" + absolute + "'");
        }
        return root.resolve(absolute.substring(1));
    }

    String read(String absolute) throws CgroupException {
        return CgroupFiles.read(path(absolute));
    }
}
