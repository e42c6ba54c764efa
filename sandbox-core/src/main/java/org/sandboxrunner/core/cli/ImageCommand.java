package org.sandboxrunner.core.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.sandboxrunner.core.image.Descriptor;
import org.sandboxrunner.core.image.Digest;
import org.sandboxrunner.core.image.ImageConfig;
import org.sandboxrunner.core.image.ImageException;
import org.sandboxrunner.core.image.ImageReference;
import org.sandboxrunner.core.image.ImageVerifier;
import org.sandboxrunner.core.image.ManifestResolver;
import org.sandboxrunner.core.image.OciLayout;
import org.sandboxrunner.core.image.Platform;
import org.sandboxrunner.core.image.ResolvedManifest;
import org.sandboxrunner.core.image.SignatureLocator;
import org.sandboxrunner.core.image.TrustedImage;
import org.sandboxrunner.core.image.UnpackOptions;
import org.sandboxrunner.core.trust.ImageSignature;
import org.sandboxrunner.core.trust.TrustDecision;
import org.sandboxrunner.core.trust.TrustPolicy;
import org.sandboxrunner.core.trust.TrustPolicyException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sandbox image}: verify an OCI image against a trust policy without running it, or show what it
 * holds. Exit status: 0 verified, 1 refused (the reason on stderr), 125 usage or I/O error.
 */
@Command(name = "image", description = "Verify and inspect OCI image layouts.", mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = ImageCommand.EXIT_ERROR, exitCodeOnExecutionException = ImageCommand.EXIT_ERROR,
        subcommands = {ImageCommand.Verify.class, ImageCommand.Inspect.class})
public final class ImageCommand implements Callable<Integer> {

    public static final int EXIT_VERIFIED = 0;
    public static final int EXIT_REFUSED = 1;
    public static final int EXIT_ERROR = 125;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_ERROR;
    }

    /** The body of a subcommand, which may refuse the image or fail on I/O. */
    interface Action {
        int run(PrintWriter out) throws IOException, ImageException, TrustPolicyException;
    }

    /** Maps the outcomes of a subcommand to the exit statuses: refused 1, bad input or I/O 125. */
    static int execute(CommandSpec spec, Action action) {
        PrintWriter err = spec.commandLine().getErr();
        String name = "sandbox image " + spec.name();
        try {
            return action.run(spec.commandLine().getOut());
        } catch (ImageException e) {
            err.println("refused: " + e.getMessage());
            return EXIT_REFUSED;
        } catch (IllegalArgumentException | TrustPolicyException e) {
            err.println(name + ": " + e.getMessage());
            return EXIT_ERROR;
        } catch (IOException e) {
            err.println(name + ": " + e);
            return EXIT_ERROR;
        }
    }

    @Command(name = "verify", description = "Verify oci:DIR[:TAG|@sha256:DIGEST] against a trust policy.",
            mixinStandardHelpOptions = true, exitCodeOnInvalidInput = EXIT_ERROR,
            exitCodeOnExecutionException = EXIT_ERROR)
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--policy", required = true, paramLabel = "FILE",
                description = "Trust policy in the containers-policy.json(5) format.")
        Path policy;

        @Parameters(index = "0", paramLabel = "IMAGE", description = "oci:DIR[:TAG|@sha256:DIGEST]")
        String image;

        @Override
        public Integer call() {
            return execute(spec, out -> {
                ImageReference ref = ImageReference.parse(image);
                ImageVerifier verifier = new ImageVerifier(TrustPolicy.load(policy), Clock.systemUTC());
                TrustedImage trusted = verifier.verify(ref);
                verifier.checkLayers(trusted, UnpackOptions.DEFAULTS);
                TrustDecision decision = trusted.trust();
                out.println("verified " + ref);
                out.println("manifest " + trusted.manifestDigest());
                out.println("layers " + trusted.manifest().manifest().layers().size()
                        + " (sizes, digests and diff_ids checked)");
                out.println("scope " + decision.scope());
                for (TrustDecision.Acceptance a : decision.acceptances()) {
                    out.println("requirement " + a.requirement() + " " + a.type()
                            + a.keyId().map(k -> " key " + k).orElse("")
                            + a.signature().map(s -> " signature " + s).orElse("")
                            + a.signedDigest().map(d -> " covers " + d).orElse(""));
                }
                return EXIT_VERIFIED;
            });
        }
    }

    @Command(name = "inspect", description = "Show the manifest, config, layers and signatures of oci:DIR[:TAG|@sha256:DIGEST]"
            + " (nothing is verified against a policy; blob digests are).", mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = EXIT_ERROR, exitCodeOnExecutionException = EXIT_ERROR)
    static final class Inspect implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "IMAGE", description = "oci:DIR[:TAG|@sha256:DIGEST]")
        String image;

        @Override
        public Integer call() {
            return execute(spec, out -> {
                ImageReference ref = ImageReference.parse(image);
                OciLayout layout = OciLayout.open(ref.directory());
                ResolvedManifest m = new ManifestResolver(layout, Platform.host()).resolve(ref);
                out.println("image " + ref);
                out.println("manifest " + m.digest() + " " + m.descriptor().mediaType() + " " + m.descriptor().size());
                for (Digest index : m.indexPath()) {
                    out.println("via index " + index);
                }
                Descriptor c = m.manifest().config();
                out.println("config " + c.digest() + " " + c.mediaType() + " " + c.size());
                ImageConfig config = layout.readConfig(m.manifest(), Platform.host());
                out.println("  platform " + config.os() + "/" + config.architecture());
                out.println("  user " + config.user().orElse(""));
                out.println("  workingDir " + config.workingDir().orElse(""));
                out.println("  entrypoint " + config.entrypoint());
                out.println("  cmd " + config.cmd());
                for (String e : config.env()) {
                    out.println("  env " + e);
                }
                List<Descriptor> layers = m.manifest().layers();
                for (int i = 0; i < layers.size(); i++) {
                    Descriptor l = layers.get(i);
                    out.println("layer " + i + " " + l.digest() + " " + l.mediaType() + " " + l.size()
                            + " diff_id " + config.diffIds().get(i));
                }
                List<ImageSignature> signatures = new SignatureLocator(layout).find(m.signableDigests());
                for (ImageSignature s : signatures) {
                    out.println("signature " + s.format() + " " + s.source());
                }
                if (signatures.isEmpty()) {
                    out.println("signatures none");
                }
                return EXIT_VERIFIED;
            });
        }
    }
}
