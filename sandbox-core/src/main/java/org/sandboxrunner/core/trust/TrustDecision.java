package org.sandboxrunner.core.trust;

import java.util.List;
import java.util.Optional;
import org.sandboxrunner.core.image.Digest;

/**
 * Why an image was accepted: the policy scope that applied and, for each of its requirements, how it was
 * satisfied. This is what the result and the audit log record.
 */
public record TrustDecision(String scope, List<Acceptance> acceptances) {

    public TrustDecision {
        if (scope == null || acceptances == null || acceptances.isEmpty()) {
            throw new IllegalArgumentException("a trust decision needs a scope and at least one acceptance");
        }
        acceptances = List.copyOf(acceptances);
    }

    /**
     * One requirement satisfied: its label in the policy file, its type, and for signature requirements
     * the key that verified, the signature used and the digest it covered.
     */
    public record Acceptance(String requirement, String type, Optional<String> keyId,
                             Optional<String> signature, Optional<Digest> signedDigest) {
        public Acceptance {
            if (requirement == null || type == null || keyId == null || signature == null || signedDigest == null) {
                throw new IllegalArgumentException("acceptance parts must not be null");
            }
        }
    }

    /** The key that verified the image: the first signature requirement's key, if any requirement needed one. */
    public Optional<String> keyId() {
        return acceptances.stream().flatMap(a -> a.keyId().stream()).findFirst();
    }

    /** The requirement that matched: the first signature requirement, or else the first requirement. */
    public String requirement() {
        return acceptances.stream().filter(a -> a.keyId().isPresent()).findFirst()
                .orElse(acceptances.get(0)).requirement();
    }
}
