package org.sandboxrunner.core.image;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sandboxrunner.core.trust.TrustDecision;

/**
 * A verified image, ready to mount: its layers are unpacked in the cache, in the order of the manifest.
 * {@link #lowerDirs()} gives them in overlayfs order (topmost first, as {@code lowerdir=} wants them);
 * the config gives the process defaults; the manifest digest, key id and matching requirement go into the
 * result and the audit log.
 */
public record VerifiedImage(ImageReference reference, Digest manifestDigest, ImageConfig config,
                            List<CachedLayer> layers, TrustDecision trust) {

    public VerifiedImage {
        if (reference == null || manifestDigest == null || config == null || trust == null) {
            throw new IllegalArgumentException("verified image parts must not be null");
        }
        layers = List.copyOf(layers);
    }

    /** The layer directories, topmost first: overlayfs's {@code lowerdir=} order. */
    public List<Path> lowerDirs() {
        List<Path> result = new ArrayList<>();
        for (int i = layers.size() - 1; i >= 0; i--) {
            result.add(layers.get(i).directory());
        }
        return result;
    }

    /** The key that verified the image (GPG fingerprint or {@code sha256:} of the public key), if any. */
    public Optional<String> keyId() {
        return trust.keyId();
    }

    /** The trust-policy requirement that matched, e.g. {@code transports.oci["/srv/images"][0]}. */
    public String requirement() {
        return trust.requirement();
    }
}
