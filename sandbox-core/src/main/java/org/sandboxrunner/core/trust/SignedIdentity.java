package org.sandboxrunner.core.trust;

import java.util.Optional;

/**
 * A {@code signedIdentity} matcher of containers-policy.json(5): how the identity a signature claims
 * (critical.identity.docker-reference) must relate to the image being run.
 *
 * <p>An {@code oci:} layout has no Docker reference of its own, so, exactly as in containers/image
 * (policy_reference_match.go), the matchers that compare with the image's reference ({@code matchExact},
 * {@code matchRepoDigestOrExact} — the default —, {@code matchRepository}, {@code remapIdentity}) never
 * match it; {@code exactReference} and {@code exactRepository} state the expected identity themselves and
 * are the ones that apply to layouts.
 */
public sealed interface SignedIdentity {

    /** Whether a signature claiming {@code signed} is accepted for an image with this Docker reference. */
    boolean matches(Optional<DockerReference> image, DockerReference signed);

    /** The matcher's policy-file name, for messages. */
    String type();

    /** Matchers that compare against the image's own reference, which an OCI layout does not have. */
    sealed interface NeedsImageReference extends SignedIdentity {
        @Override
        default boolean matches(Optional<DockerReference> image, DockerReference signed) {
            return image.isPresent() && matchesReference(image.get(), signed);
        }

        boolean matchesReference(DockerReference image, DockerReference signed);
    }

    record MatchExact() implements NeedsImageReference {
        @Override
        public boolean matchesReference(DockerReference image, DockerReference signed) {
            return !image.isNameOnly() && image.toString().equals(signed.toString());
        }

        @Override
        public String type() {
            return "matchExact";
        }
    }

    record MatchRepoDigestOrExact() implements NeedsImageReference {
        @Override
        public boolean matchesReference(DockerReference image, DockerReference signed) {
            if (image.digest().isPresent()) {
                return image.name().equals(signed.name());
            }
            return !image.isNameOnly() && image.toString().equals(signed.toString());
        }

        @Override
        public String type() {
            return "matchRepoDigestOrExact";
        }
    }

    record MatchRepository() implements NeedsImageReference {
        @Override
        public boolean matchesReference(DockerReference image, DockerReference signed) {
            return image.name().equals(signed.name());
        }

        @Override
        public String type() {
            return "matchRepository";
        }
    }

    record RemapIdentity(String prefix, String signedPrefix) implements NeedsImageReference {
        @Override
        public boolean matchesReference(DockerReference image, DockerReference signed) {
            String text = image.toString();
            if (text.startsWith(prefix) && (text.length() == prefix.length() || prefix.endsWith("/")
                    || "/:@".indexOf(text.charAt(prefix.length())) >= 0)) {
                DockerReference remapped;
                try {
                    remapped = DockerReference.parse(signedPrefix + text.substring(prefix.length()));
                } catch (IllegalArgumentException e) {
                    return false;
                }
                return new MatchRepoDigestOrExact().matchesReference(remapped, signed);
            }
            return new MatchRepoDigestOrExact().matchesReference(image, signed);
        }

        @Override
        public String type() {
            return "remapIdentity";
        }
    }

    /** The signature must claim exactly this reference (which has a tag or a digest). */
    record ExactReference(DockerReference reference) implements SignedIdentity {
        public ExactReference {
            if (reference.isNameOnly()) {
                throw new IllegalArgumentException("dockerReference " + reference + " contains neither a tag nor a digest");
            }
        }

        @Override
        public boolean matches(Optional<DockerReference> image, DockerReference signed) {
            return reference.toString().equals(signed.toString());
        }

        @Override
        public String type() {
            return "exactReference";
        }
    }

    /** The signature must claim some reference in this repository. */
    record ExactRepository(DockerReference repository) implements SignedIdentity {
        @Override
        public boolean matches(Optional<DockerReference> image, DockerReference signed) {
            return repository.name().equals(signed.name());
        }

        @Override
        public String type() {
            return "exactRepository";
        }
    }
}
