package org.sandboxrunner.core.image;

import java.util.List;
import java.util.Optional;

/**
 * What the lead's run step needs from the image config: the process defaults (env, entrypoint, cmd,
 * working directory, user) and the uncompressed layer digests ({@code rootfs.diff_ids}).
 */
public record ImageConfig(String os, String architecture, List<String> env, List<String> entrypoint,
                          List<String> cmd, Optional<String> workingDir, Optional<String> user,
                          List<Digest> diffIds) {

    public ImageConfig {
        if (os == null || architecture == null || workingDir == null || user == null) {
            throw new IllegalArgumentException("config parts must not be null");
        }
        env = List.copyOf(env);
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        diffIds = List.copyOf(diffIds);
    }
}
