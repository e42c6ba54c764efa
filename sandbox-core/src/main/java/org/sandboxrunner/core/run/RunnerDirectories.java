package org.sandboxrunner.core.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The runner's own directories. The new root of every sandbox is built (inside the sandbox's private
 * mount namespace) on {@code newRoot()}, an empty directory the sandbox's init must be able to look up
 * with its unprivileged ids: so it lives in {@code /run} (0755) when the runner is root, and in the
 * caller's {@code XDG_RUNTIME_DIR} otherwise, never under a private temporary directory.
 */
public record RunnerDirectories(Path state) {

    public static final String PROJECT = "sandbox-runner";

    public static RunnerDirectories forCurrentUser(boolean root, Map<String, String> env) {
        if (root) {
            return new RunnerDirectories(Path.of("/run", PROJECT));
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime == null || runtime.isEmpty()) {
            throw new IllegalStateException("XDG_RUNTIME_DIR is not set: an unprivileged runner keeps its "
                    + "state there (log in through a session manager, or set it to a private directory)");
        }
        return new RunnerDirectories(Path.of(runtime, PROJECT));
    }

    /** The mount point every sandbox builds its root on; created empty and world-searchable. */
    public Path newRoot() {
        Path root = state.resolve("root");
        try {
            if (!Files.isDirectory(root)) {
                Files.createDirectories(root);
            }
            // Make each level searchable by the sandbox's ids, whatever the umask was.
            for (Path p : new Path[] {state, root}) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + root + ": " + e.getMessage(), e);
        }
        return root;
    }
}
