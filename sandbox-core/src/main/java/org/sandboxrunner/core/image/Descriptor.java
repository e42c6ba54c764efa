package org.sandboxrunner.core.image;

import java.util.Map;
import java.util.Optional;

/**
 * A validated OCI content descriptor: what a blob is, its digest and its exact size. The size is what
 * bounds every read of the blob ({@link OciLayout} never reads more than size + 1 bytes).
 */
public record Descriptor(String mediaType, Digest digest, long size, Map<String, String> annotations,
                         Optional<Platform> platform, Optional<String> artifactType) {

    public static final String REF_NAME = "org.opencontainers.image.ref.name";

    public Descriptor {
        if (mediaType == null || mediaType.isEmpty()) {
            throw new IllegalArgumentException("a descriptor needs a mediaType");
        }
        if (digest == null || platform == null || artifactType == null) {
            throw new IllegalArgumentException("descriptor parts must not be null");
        }
        if (size < 0) {
            throw new IllegalArgumentException("descriptor size must not be negative, got " + size);
        }
        annotations = Map.copyOf(annotations == null ? Map.of() : annotations);
    }

    public static Descriptor of(String mediaType, Digest digest, long size) {
        return new Descriptor(mediaType, digest, size, Map.of(), Optional.empty(), Optional.empty());
    }

    public Optional<String> refName() {
        return Optional.ofNullable(annotations.get(REF_NAME));
    }
}
