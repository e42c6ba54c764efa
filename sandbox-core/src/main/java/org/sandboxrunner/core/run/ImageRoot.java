package org.sandboxrunner.core.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A verified image as the plan uses it: its unpacked layers (topmost first, as overlayfs's lowerdir
 * wants them), its environment, and what the result and audit log say about it.
 *
 * @param keyId       the key that verified it, if the policy required one
 * @param requirement the trust-policy requirement that accepted it
 */
public record ImageRoot(List<Path> lowerDirs, List<String> env, String digest, Optional<String> keyId, String requirement) {

    public ImageRoot {
        lowerDirs = List.copyOf(lowerDirs);
        env = List.copyOf(env);
        if (lowerDirs.isEmpty()) {
            throw new IllegalArgumentException("an image has at least one layer");
        }
        for (Path p : lowerDirs) {
            // overlayfs separates lowerdir entries with ':' and lets '\' escape; cache paths have neither.
            if (p.toString().contains(":") || p.toString().contains("\\") || p.toString().contains(",")) {
                throw new IllegalArgumentException("layer directory " + p + " cannot be named in an overlay mount");
            }
        }
    }

    String lowerDirOption() {
        return String.join(":", lowerDirs.stream().map(Path::toString).toList());
    }
}
