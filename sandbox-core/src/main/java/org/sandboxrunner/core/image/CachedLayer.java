package org.sandboxrunner.core.image;

import java.nio.file.Path;

/**
 * One unpacked layer in the cache: its ChainID (the cache key), DiffID, the blob it came from, the
 * directory to use as an overlayfs lower dir, whether it was already cached, and what unpacking did
 * (zero counts when reused).
 */
public record CachedLayer(Digest chainId, Digest diffId, Digest blob, Path directory, boolean reused,
                          LayerStats stats) {
}
