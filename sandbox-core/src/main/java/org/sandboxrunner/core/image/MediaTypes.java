package org.sandboxrunner.core.image;

import java.util.Optional;
import java.util.Set;

/** The media types this runner accepts (OCI image-spec v1.1 and their Docker v2 schema 2 equivalents). */
public final class MediaTypes {

    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    /** cosign's simple-signing payload layers (the {@code sha256-<digest>.sig} manifests). */
    public static final String COSIGN_SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
    /** Sigstore bundles attached as OCI 1.1 referrers (cosign v3). */
    public static final String SIGSTORE_BUNDLE_V03 = "application/vnd.dev.sigstore.bundle.v0.3+json";

    public static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_LIST);
    public static final Set<String> MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);
    public static final Set<String> CONFIGS = Set.of(OCI_CONFIG, DOCKER_CONFIG);

    /** How a layer blob is compressed. */
    public enum Compression { NONE, GZIP, ZSTD }

    /** The compression of a layer media type; empty for anything that is not a layer this runner applies. */
    public static Optional<Compression> layerCompression(String mediaType) {
        return switch (mediaType) {
            case OCI_LAYER_TAR -> Optional.of(Compression.NONE);
            case OCI_LAYER_GZIP, DOCKER_LAYER_GZIP -> Optional.of(Compression.GZIP);
            case OCI_LAYER_ZSTD -> Optional.of(Compression.ZSTD);
            default -> Optional.empty();
        };
    }

    private MediaTypes() {
    }
}
