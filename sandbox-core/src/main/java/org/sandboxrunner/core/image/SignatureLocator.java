package org.sandboxrunner.core.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sandboxrunner.core.trust.ImageSignature;
import org.sandboxrunner.core.trust.TrustException;

/**
 * Finds the signatures of a manifest in an OCI layout. containers/image's {@code oci:} transport stores
 * no signatures ("Pushing signatures for OCI images is not supported"), so the places are those of the
 * tools that do, for a digest {@code sha256:HEX}:
 * <ol>
 *   <li>cosign's attachment: an index.json entry tagged {@code sha256-HEX.sig} (the tag cosign and
 *       containers/image's sigstore attachments use in registries, kept by {@code skopeo copy} into a
 *       layout) or marked {@code kind: dev.cosignproject.cosign/sigs} ({@code cosign save}); each of its
 *       layers is a simple-signing payload with its signature in an annotation;</li>
 *   <li>OCI 1.1 referrers: index.json entries with {@code artifactType}
 *       {@code application/vnd.dev.sigstore.bundle.v0.3+json} whose manifest's {@code subject} is the
 *       image (cosign v3); their layer is the bundle;</li>
 *   <li>a lookaside directory in containers/image's layout, {@code DIR/signatures/sha256=HEX/signature-N}
 *       for N = 1, 2, ... until one is missing, each file in containers/image's signature blob format
 *       (what {@code skopeo copy --sign-by ... dir:} writes as {@code signature-N}).</li>
 * </ol>
 * Everything found is only a candidate: the trust evaluator decides what verifies and what it covers.
 */
public final class SignatureLocator {

    public static final String LOOKASIDE_DIR = "signatures";
    static final int MAX_SIGNATURES = 64;

    private final OciLayout layout;

    public SignatureLocator(OciLayout layout) {
        this.layout = layout;
    }

    /** Candidate signatures for any of {@code digests} (the manifest, then the indexes above it). */
    public List<ImageSignature> find(List<Digest> digests) throws IOException, ImageException {
        List<ImageSignature> found = new ArrayList<>();
        for (Digest digest : digests) {
            if (!digest.algorithm().equals("sha256")) {
                continue;
            }
            attachments(digest, found);
            referrers(digest, found);
            lookaside(digest, found);
        }
        return found;
    }

    private void attachments(Digest digest, List<ImageSignature> found) throws IOException, ImageException {
        String tag = "sha256-" + digest.hex() + ".sig";
        for (Descriptor d : layout.manifests()) {
            boolean tagged = d.refName().map(tag::equals).orElse(false);
            boolean saved = "dev.cosignproject.cosign/sigs".equals(d.annotations().get(ManifestResolver.COSIGN_KIND));
            if (!tagged && !saved) {
                continue;
            }
            String where = tagged ? "index.json \"" + tag + "\"" : "index.json cosign signatures " + d.digest();
            ImageManifest m = readManifest(d, where);
            for (int i = 0; i < m.layers().size(); i++) {
                Descriptor layer = m.layers().get(i);
                if (!MediaTypes.COSIGN_SIMPLE_SIGNING.equals(layer.mediaType())) {
                    continue;
                }
                add(found, new ImageSignature.Cosign(layout.readBlob(layer, OciLayout.MAX_JSON_BLOB),
                        layer.annotations(), where + " layer " + i));
            }
        }
    }

    private void referrers(Digest digest, List<ImageSignature> found) throws IOException, ImageException {
        for (Descriptor d : layout.manifests()) {
            if (!d.artifactType().map(MediaTypes.SIGSTORE_BUNDLE_V03::equals).orElse(false)) {
                continue;
            }
            String where = "index.json referrer " + d.digest();
            ImageManifest m = readManifest(d, where);
            if (m.subject().isEmpty() || !m.subject().get().digest().equals(digest)) {
                continue;
            }
            for (int i = 0; i < m.layers().size(); i++) {
                Descriptor layer = m.layers().get(i);
                if (MediaTypes.SIGSTORE_BUNDLE_V03.equals(layer.mediaType())) {
                    add(found, new ImageSignature.Bundle(layout.readBlob(layer, OciLayout.MAX_JSON_BLOB),
                            where + " layer " + i));
                }
            }
        }
    }

    private void lookaside(Digest digest, List<ImageSignature> found) throws IOException, ImageException {
        Path dir = layout.root().resolve(LOOKASIDE_DIR).resolve("sha256=" + digest.hex());
        for (int n = 1; n <= MAX_SIGNATURES; n++) {
            Path file = dir.resolve("signature-" + n);
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            if (Files.size(file) > OciLayout.MAX_JSON_BLOB) {
                throw new ImageException(file + " is larger than " + OciLayout.MAX_JSON_BLOB + " bytes");
            }
            String where = LOOKASIDE_DIR + "/sha256=" + digest.hex() + "/signature-" + n;
            try {
                add(found, ImageSignature.parseContainersBlob(Files.readAllBytes(file), where));
            } catch (TrustException e) {
                throw new ImageException(e.getMessage(), e);
            }
        }
    }

    private ImageManifest readManifest(Descriptor d, String where) throws IOException, ImageException {
        if (!MediaTypes.MANIFESTS.contains(d.mediaType())) {
            throw new ImageException(where + " has media type \"" + d.mediaType() + "\", not an image manifest");
        }
        return OciLayout.parseManifest(layout.readBlob(d, OciLayout.MAX_JSON_BLOB), d.mediaType(), where);
    }

    private static void add(List<ImageSignature> found, ImageSignature s) throws ImageException {
        if (found.size() >= MAX_SIGNATURES) {
            throw new ImageException("the image has more than " + MAX_SIGNATURES + " signatures");
        }
        found.add(s);
    }
}
