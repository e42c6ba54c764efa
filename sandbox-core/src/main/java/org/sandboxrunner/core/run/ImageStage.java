package org.sandboxrunner.core.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.sandboxrunner.core.image.ImageException;
import org.sandboxrunner.core.image.ImageReference;
import org.sandboxrunner.core.image.ImageVerifier;
import org.sandboxrunner.core.image.LayerCache;
import org.sandboxrunner.core.image.LinuxBeneathFs;
import org.sandboxrunner.core.image.UnpackOptions;
import org.sandboxrunner.core.image.VerifiedImage;
import org.sandboxrunner.core.trust.TrustPolicy;
import org.sandboxrunner.core.trust.TrustPolicyException;
import org.sandboxrunner.policy.ImageSpec;

/**
 * Step 2 of the order: the profile's image is verified against its trust policy before anything is
 * mounted or unpacked, then its layers are unpacked (or found) in the content-addressed cache. The
 * manifest digest that was verified is the one that runs: nothing is resolved by tag again.
 * Loaded only for runs with an image, so Bouncy Castle and the image code stay off the plain path.
 */
final class ImageStage {
    private ImageStage() {}

    static ImageRoot prepare(ImageSpec spec) {
        try {
            TrustPolicy policy = TrustPolicy.load(Path.of(spec.trustPolicy()));
            LayerCache cache = LayerCache.open(LayerCache.defaultRoot(), new LinuxBeneathFs());
            VerifiedImage image = new ImageVerifier(policy, Clock.systemUTC())
                    .verifyAndUnpack(ImageReference.parse(spec.reference()), cache, UnpackOptions.DEFAULTS);
            return new ImageRoot(image.lowerDirs(), image.config().env(), image.manifestDigest().toString(),
                    image.keyId(), image.requirement());
        } catch (ImageException e) {
            throw new SandboxSetupException("image", "image " + spec.reference() + " refused: " + e.getMessage(),
                    Verdict.SETUP_FAILED, e);
        } catch (TrustPolicyException | IOException | IllegalArgumentException e) {
            throw new SandboxSetupException("image", "image " + spec.reference() + ": " + e.getMessage(),
                    Verdict.SETUP_FAILED, e);
        }
    }
}
