package org.sandboxrunner.core.trust;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.sandboxrunner.core.image.Digest;

/**
 * Applies a trust policy to one image: every requirement of the applicable scope must accept it
 * (containers/image policy_eval.go). A signature requirement is satisfied by any one signature that
 * verifies with its keys, whose payload names one of the image's digests, and whose identity the
 * requirement's signedIdentity accepts. Refusals carry every signature's reason.
 */
public final class TrustEvaluator {

    /**
     * The image being judged: its name for messages, its layout directory (resolved) and tag for scope
     * lookup, the digests a signature may cover (the selected manifest first, then the indexes above it),
     * and the signatures found for it.
     */
    public record Subject(String name, java.nio.file.Path resolvedDir, Optional<String> tag,
                          List<Digest> digests, List<ImageSignature> signatures) {
        public Subject {
            if (digests.isEmpty()) {
                throw new IllegalArgumentException("a subject needs at least its manifest digest");
            }
            digests = List.copyOf(digests);
            signatures = List.copyOf(signatures);
        }
    }

    private final Instant now;

    public TrustEvaluator(Instant now) {
        this.now = now;
    }

    /** Accepts the image with the reasons, or throws {@link TrustException} naming the requirement that refused. */
    public TrustDecision evaluate(TrustPolicy policy, Subject subject) throws TrustException {
        TrustPolicy.Scoped scoped = policy.requirementsForOci(subject.resolvedDir(), subject.tag());
        List<TrustDecision.Acceptance> acceptances = new ArrayList<>();
        for (PolicyRequirement r : scoped.requirements()) {
            acceptances.add(evaluate(r, subject));
        }
        return new TrustDecision(scoped.scope(), acceptances);
    }

    private TrustDecision.Acceptance evaluate(PolicyRequirement r, Subject s) throws TrustException {
        if (r instanceof PolicyRequirement.InsecureAcceptAnything a) {
            return new TrustDecision.Acceptance(a.label(), a.type(), Optional.empty(), Optional.empty(), Optional.empty());
        }
        if (r instanceof PolicyRequirement.SignedBy sb) {
            return signedBy(sb, s);
        }
        if (r instanceof PolicyRequirement.SigstoreSigned ss) {
            return sigstoreSigned(ss, s);
        }
        if (r instanceof PolicyRequirement.SignedBaseLayer b) {
            throw new TrustException("Running image " + s.name() + " is rejected by policy: " + b.label()
                    + " (signedBaseLayer) is not implemented and never accepts an image.");
        }
        throw new TrustException("Running image " + s.name() + " is rejected by policy (" + r.label()
                + " is reject).");
    }

    private TrustDecision.Acceptance signedBy(PolicyRequirement.SignedBy r, Subject s) throws TrustException {
        if (!r.keyType().equals("GPGKeys")) {
            throw new TrustException(refusal(r, s, "keyType " + r.keyType() + " is not supported (only GPGKeys)"));
        }
        List<byte[]> rings = new ArrayList<>();
        for (KeySource k : r.keys()) {
            rings.add(k.load());
        }
        GpgKeyring keyring = GpgKeyring.parse(rings, r.label() + " keys");
        List<String> reasons = new ArrayList<>();
        for (ImageSignature sig : s.signatures()) {
            if (!(sig instanceof ImageSignature.Gpg gpg)) {
                continue;
            }
            try {
                VerifiedPayload v = GpgSignatureVerifier.verify(gpg.signedMessage(), keyring, now);
                SimpleSigningPayload p = SimpleSigningPayload.parse(v.payload(), SimpleSigningPayload.ATOMIC_TYPE);
                return accept(r, r.identity(), p, v, sig, s);
            } catch (TrustException e) {
                reasons.add(sig.source() + ": " + e.getMessage());
            }
        }
        throw new TrustException(refusal(r, s, reasons.isEmpty()
                ? "a GPG signature was required, but the image has none" : String.join("; ", reasons)));
    }

    private TrustDecision.Acceptance sigstoreSigned(PolicyRequirement.SigstoreSigned r, Subject s)
            throws TrustException {
        List<SigstorePublicKey> keys = new ArrayList<>();
        for (KeySource k : r.keys()) {
            keys.add(SigstorePublicKey.parsePem(k.load(), k.describe()));
        }
        Optional<RekorLog> rekor = Optional.empty();
        if (r.rekorKey().isPresent()) {
            KeySource k = r.rekorKey().get();
            rekor = Optional.of(new RekorLog(SigstorePublicKey.parsePem(k.load(), k.describe())));
        }
        List<String> reasons = new ArrayList<>();
        for (ImageSignature sig : s.signatures()) {
            try {
                if (sig instanceof ImageSignature.Cosign cosign) {
                    VerifiedPayload v = CosignSignatureVerifier.verify(cosign, keys);
                    if (rekor.isPresent()) {
                        CosignRekorBundle.verify(cosign, rekor.get());
                    }
                    SimpleSigningPayload p = SimpleSigningPayload.parse(v.payload(), SimpleSigningPayload.COSIGN_TYPE);
                    return accept(r, r.identity(), p, v, sig, s);
                } else if (sig instanceof ImageSignature.Bundle bundle) {
                    SigstoreBundle parsed = SigstoreBundle.parse(bundle.json(), sig.source());
                    TrustDecision.Acceptance accepted = acceptBundle(r, parsed, keys, sig, s);
                    if (rekor.isPresent()) {
                        parsed.verifyTlog(rekor.get());
                    }
                    return accepted;
                }
            } catch (TrustException e) {
                reasons.add(sig.source() + ": " + e.getMessage());
            }
        }
        throw new TrustException(refusal(r, s, reasons.isEmpty()
                ? "a sigstore signature was required, but the image has none" : String.join("; ", reasons)));
    }

    /**
     * A bundle states no Docker identity, only a digest; it therefore satisfies a requirement only when the
     * requirement does not set signedIdentity to an explicit reference (exactReference, exactRepository).
     */
    private TrustDecision.Acceptance acceptBundle(PolicyRequirement.SigstoreSigned r, SigstoreBundle bundle,
                                                  List<SigstorePublicKey> keys, ImageSignature sig, Subject s)
            throws TrustException {
        if (r.identity() instanceof SignedIdentity.ExactReference || r.identity() instanceof SignedIdentity.ExactRepository) {
            throw new TrustException("a Sigstore bundle claims no Docker identity, but " + r.label()
                    + " requires signedIdentity " + r.identity().type());
        }
        if (!bundle.isDsse()) {
            List<String> reasons = new ArrayList<>();
            for (Digest d : s.digests()) {
                if (!d.algorithm().equals("sha256")) {
                    continue;
                }
                try {
                    VerifiedPayload v = bundle.verifyMessage(HexFormat.of().parseHex(d.hex()), keys);
                    return new TrustDecision.Acceptance(r.label(), r.type(), Optional.of(v.keyId()),
                            Optional.of(sig.source()), Optional.of(d));
                } catch (TrustException e) {
                    reasons.add(e.getMessage());
                }
            }
            throw new TrustException(String.join("; ", reasons));
        }
        VerifiedPayload v = bundle.verifyDsse(keys);
        if (!InTotoStatement.PAYLOAD_TYPE.equals(bundle.payloadType().orElse(""))) {
            throw new TrustException("DSSE payloadType \"" + bundle.payloadType().orElse("")
                    + "\" is not an in-toto statement");
        }
        List<String> subjects = InTotoStatement.subjectSha256(v.payload());
        for (Digest d : s.digests()) {
            if (d.algorithm().equals("sha256") && subjects.contains(d.hex())) {
                return new TrustDecision.Acceptance(r.label(), r.type(), Optional.of(v.keyId()),
                        Optional.of(sig.source()), Optional.of(d));
            }
        }
        throw new TrustException("the in-toto statement's subjects do not include manifest " + s.digests().get(0));
    }

    private TrustDecision.Acceptance accept(PolicyRequirement r, SignedIdentity identity, SimpleSigningPayload p,
                                            VerifiedPayload v, ImageSignature sig, Subject s) throws TrustException {
        if (!s.digests().contains(p.manifestDigest())) {
            throw new TrustException("signature is for manifest " + p.manifestDigest() + ", not "
                    + s.digests().get(0));
        }
        // An oci: layout has no Docker reference (containers/image: DockerReference() is nil for oci:).
        if (!identity.matches(Optional.empty(), p.identity())) {
            if (identity instanceof SignedIdentity.NeedsImageReference) {
                throw new TrustException("signedIdentity " + identity.type() + " compares with the image's Docker"
                        + " reference, which " + s.name() + " does not have; use exactReference or exactRepository");
            }
            throw new TrustException("signature for identity " + p.identity() + " is not accepted by signedIdentity "
                    + identity.type());
        }
        return new TrustDecision.Acceptance(r.label(), r.type(), Optional.of(v.keyId()), Optional.of(sig.source()),
                Optional.of(p.manifestDigest()));
    }

    private static String refusal(PolicyRequirement r, Subject s, String why) {
        return "Running image " + s.name() + " is rejected by policy: " + r.label() + " (" + r.type() + "): " + why;
    }
}
