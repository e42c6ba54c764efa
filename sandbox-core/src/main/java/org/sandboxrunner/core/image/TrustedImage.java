package org.sandboxrunner.core.image;

import java.util.List;
import org.sandboxrunner.core.trust.ImageSignature;
import org.sandboxrunner.core.trust.TrustDecision;

/**
 * An image whose manifest the trust policy accepted, before any layer was unpacked: the exact manifest
 * (to run by digest, never re-resolved by tag), its config, the signatures that were found and the
 * decision.
 */
public record TrustedImage(ImageReference reference, ResolvedManifest manifest, ImageConfig config,
                           List<ImageSignature> signatures, TrustDecision trust) {

    public TrustedImage {
        if (reference == null || manifest == null || config == null || trust == null) {
            throw new IllegalArgumentException("trusted image parts must not be null");
        }
        signatures = List.copyOf(signatures);
    }

    public Digest manifestDigest() {
        return manifest.digest();
    }
}
