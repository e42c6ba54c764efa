package org.sandboxrunner.core.image;

import java.util.List;

/**
 * The image manifest a reference selected: its descriptor, its exact bytes (what signatures cover), the
 * parsed manifest, and the digests of the image indexes passed through to reach it (outermost first).
 */
public record ResolvedManifest(Descriptor descriptor, byte[] bytes, ImageManifest manifest,
                               List<Digest> indexPath) {

    public ResolvedManifest {
        if (descriptor == null || bytes == null || manifest == null) {
            throw new IllegalArgumentException("resolved manifest parts must not be null");
        }
        bytes = bytes.clone();
        indexPath = List.copyOf(indexPath);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public Digest digest() {
        return descriptor.digest();
    }

    /**
     * The digests a signature for this image may cover: the manifest's, then each index above it (an
     * index pins its manifests' digests, so signing the index signs them too).
     */
    public List<Digest> signableDigests() {
        List<Digest> digests = new java.util.ArrayList<>();
        digests.add(digest());
        digests.addAll(indexPath);
        return List.copyOf(digests);
    }
}
