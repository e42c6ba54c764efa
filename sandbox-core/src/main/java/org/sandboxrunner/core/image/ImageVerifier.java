package org.sandboxrunner.core.image;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.sandboxrunner.core.trust.ImageSignature;
import org.sandboxrunner.core.trust.TrustDecision;
import org.sandboxrunner.core.trust.TrustEvaluator;
import org.sandboxrunner.core.trust.TrustException;
import org.sandboxrunner.core.trust.TrustPolicy;

/**
 * Verifies an {@code oci:} image against a trust policy, then unpacks it. The order is fixed: select the
 * manifest, find its signatures, apply the policy to the manifest digest, and only after acceptance read
 * the config and unpack the layers that manifest names (each checked against its digest and DiffID).
 */
public final class ImageVerifier {

    private final TrustPolicy policy;
    private final Clock clock;
    private final Platform platform;

    public ImageVerifier(TrustPolicy policy, Clock clock) {
        this(policy, clock, Platform.host());
    }

    public ImageVerifier(TrustPolicy policy, Clock clock, Platform platform) {
        this.policy = policy;
        this.clock = clock;
        this.platform = platform;
    }

    /** Verifies the image without unpacking it ({@code sandbox image verify}). */
    public TrustedImage verify(ImageReference ref) throws IOException, ImageException {
        OciLayout layout = OciLayout.open(ref.directory());
        return verify(ref, layout);
    }

    /** Verifies the image and makes its layers available in the cache. */
    public VerifiedImage verifyAndUnpack(ImageReference ref, LayerCache cache, UnpackOptions options)
            throws IOException, ImageException {
        OciLayout layout = OciLayout.open(ref.directory());
        TrustedImage trusted = verify(ref, layout);
        List<CachedLayer> layers = cache.unpack(layout, trusted.manifest().manifest().layers(),
                trusted.config().diffIds(), options);
        return new VerifiedImage(ref, trusted.manifestDigest(), trusted.config(), layers, trusted.trust());
    }

    /**
     * Reads every layer of a trusted image once, checking size, digest and DiffID, without unpacking
     * anything ({@code sandbox image verify} does this after {@link #verify}).
     */
    public void checkLayers(TrustedImage image, UnpackOptions options) throws IOException, ImageException {
        OciLayout layout = OciLayout.open(image.reference().directory());
        UnpackBudget budget = new UnpackBudget(options);
        List<Descriptor> layers = image.manifest().manifest().layers();
        for (int i = 0; i < layers.size(); i++) {
            LayerReader.read(layout, layers.get(i), i, image.config().diffIds().get(i), budget, tar -> null);
        }
    }

    private TrustedImage verify(ImageReference ref, OciLayout layout) throws IOException, ImageException {
        ResolvedManifest manifest = new ManifestResolver(layout, platform).resolve(ref);
        List<Digest> digests = manifest.signableDigests();
        List<ImageSignature> signatures = new SignatureLocator(layout).find(digests);
        String name = ImageReference.TRANSPORT + ":" + layout.root() + ref.tag().map(t -> ":" + t).orElse("")
                + ref.digest().map(d -> "@" + d).orElse("");
        TrustDecision decision;
        try {
            decision = new TrustEvaluator(clock.instant()).evaluate(policy,
                    new TrustEvaluator.Subject(name, layout.root(), ref.tag(), digests, signatures));
        } catch (TrustException e) {
            throw new ImageException(e.getMessage(), e);
        }
        ImageManifest m = manifest.manifest();
        for (int i = 0; i < m.layers().size(); i++) {
            Descriptor layer = m.layers().get(i);
            if (MediaTypes.layerCompression(layer.mediaType()).isEmpty()) {
                throw new ImageException("manifest " + manifest.digest() + " layers[" + i + "] has media type \""
                        + layer.mediaType() + "\", which is not a tar, tar+gzip or tar+zstd layer");
            }
        }
        ImageConfig config = layout.readConfig(m, platform);
        return new TrustedImage(ref, manifest, config, signatures, decision);
    }
}
