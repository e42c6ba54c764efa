package org.sandboxrunner.core.trust;

import java.util.List;

/**
 * One requirement of a containers-policy.json(5) scope. Every requirement of the scope that applies must
 * accept the image. {@code label} says where it is in the policy file, e.g.
 * {@code transports.oci["/srv/images"][0]}.
 */
public sealed interface PolicyRequirement {

    String label();

    /** The policy-file {@code type} of the requirement. */
    String type();

    record InsecureAcceptAnything(String label) implements PolicyRequirement {
        @Override
        public String type() {
            return "insecureAcceptAnything";
        }
    }

    record Reject(String label) implements PolicyRequirement {
        @Override
        public String type() {
            return "reject";
        }
    }

    /** A GPG simple signature by one of these keys (keyType {@code GPGKeys}). */
    record SignedBy(String label, String keyType, List<KeySource> keys, SignedIdentity identity)
            implements PolicyRequirement {
        public SignedBy {
            keys = List.copyOf(keys);
        }

        @Override
        public String type() {
            return "signedBy";
        }
    }

    /**
     * A cosign signature or Sigstore bundle verified by one of these public keys; with a Rekor key, the
     * signature must also have been logged by that Rekor (a verified SET or inclusion proof).
     */
    record SigstoreSigned(String label, List<KeySource> keys, java.util.Optional<KeySource> rekorKey,
                          SignedIdentity identity) implements PolicyRequirement {
        public SigstoreSigned {
            keys = List.copyOf(keys);
        }

        @Override
        public String type() {
            return "sigstoreSigned";
        }
    }

    /**
     * {@code signedBaseLayer}: accepted in the file (it is part of the schema) but, as in containers/image,
     * not implemented, so it never accepts an image.
     */
    record SignedBaseLayer(String label) implements PolicyRequirement {
        @Override
        public String type() {
            return "signedBaseLayer";
        }
    }
}
