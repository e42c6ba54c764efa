package org.sandboxrunner.core.image;

import java.util.Optional;

/** An OCI platform ({@code os}, {@code architecture}, optional {@code variant}), as in image-index.md. */
public record Platform(String os, String architecture, Optional<String> variant) {

    public Platform {
        if (os == null || os.isEmpty() || architecture == null || architecture.isEmpty() || variant == null) {
            throw new IllegalArgumentException("a platform needs a non-empty os and architecture");
        }
    }

    /**
     * The platform of this JVM's host in Go's GOOS/GOARCH names, which the OCI spec uses: the JDK says
     * {@code amd64} or {@code x86_64} for what OCI calls amd64, and {@code aarch64} for arm64.
     */
    public static Platform host() {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> System.getProperty("os.arch");
        };
        String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
        return new Platform(os, arch, Optional.empty());
    }

    /**
     * Whether an image built for {@code candidate} runs here: same os and architecture, and, when this
     * platform names a variant, the same variant (arm64 images often say {@code v8}, which is the only one).
     */
    public boolean accepts(Platform candidate) {
        if (!os.equals(candidate.os) || !architecture.equals(candidate.architecture)) {
            return false;
        }
        return variant.isEmpty() || candidate.variant.isEmpty() || variant.equals(candidate.variant);
    }

    @Override
    public String toString() {
        return os + "/" + architecture + variant.map(v -> "/" + v).orElse("");
    }
}
