package org.sandboxrunner.core.image;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Selects one image manifest in a layout: by reference name or digest among {@code index.json}'s entries
 * (digests are also looked up inside nested indexes), then through nested indexes by platform.
 */
public final class ManifestResolver {

    /** Nested indexes deeper than this are refused, so a cycle of indexes cannot loop. */
    static final int MAX_INDEX_DEPTH = 4;

    /** cosign's tag for the signatures of an image (pkg/oci/remote: {@code sha256-<hex>.sig}). */
    private static final Pattern COSIGN_TAG = Pattern.compile("sha256-[a-f0-9]{64}\\.(sig|att|sbom)");
    /** cosign save's marker for entries that are not the image ({@code kind} annotation). */
    static final String COSIGN_KIND = "kind";

    private final OciLayout layout;
    private final Platform platform;

    public ManifestResolver(OciLayout layout, Platform platform) {
        this.layout = layout;
        this.platform = platform;
    }

    public ResolvedManifest resolve(ImageReference ref) throws IOException, ImageException {
        List<Descriptor> top = layout.manifests();
        if (ref.digest().isPresent()) {
            Digest wanted = ref.digest().get();
            List<Digest> path = new ArrayList<>();
            Optional<Descriptor> found = findByDigest(top, wanted, path, 0);
            if (found.isEmpty()) {
                throw new ImageException(ref + ": no manifest with digest " + wanted + " in the layout");
            }
            return descend(found.get(), path, 0, ref);
        }
        List<Descriptor> candidates = new ArrayList<>();
        for (Descriptor d : top) {
            if (ref.tag().isPresent() ? ref.tag().equals(d.refName()) : !isSignatureEntry(d)) {
                candidates.add(d);
            }
        }
        if (candidates.isEmpty()) {
            throw new ImageException(ref + ": " + (ref.tag().isPresent()
                    ? "no manifest is named \"" + ref.tag().get() + "\" in index.json"
                    : "index.json lists no image"));
        }
        if (candidates.size() > 1) {
            throw new ImageException(ref + ": " + (ref.tag().isPresent()
                    ? candidates.size() + " manifests are named \"" + ref.tag().get() + "\" in index.json"
                    : "index.json lists " + candidates.size() + " images; name one with :TAG or @sha256:DIGEST"));
        }
        return descend(candidates.get(0), new ArrayList<>(), 0, ref);
    }

    /** Entries that hold signatures or attestations rather than an image (cosign's tag or kind). */
    static boolean isSignatureEntry(Descriptor d) {
        String kind = d.annotations().get(COSIGN_KIND);
        return (kind != null && kind.startsWith("dev.cosignproject.cosign/") && !kind.endsWith("/image"))
                || d.refName().map(n -> COSIGN_TAG.matcher(n).matches()).orElse(false);
    }

    private Optional<Descriptor> findByDigest(List<Descriptor> entries, Digest wanted, List<Digest> path, int depth)
            throws IOException, ImageException {
        for (Descriptor d : entries) {
            if (d.digest().equals(wanted)) {
                return Optional.of(d);
            }
        }
        if (depth >= MAX_INDEX_DEPTH) {
            return Optional.empty();
        }
        for (Descriptor d : entries) {
            if (MediaTypes.INDEXES.contains(d.mediaType())) {
                List<Descriptor> children = readIndex(d);
                path.add(d.digest());
                Optional<Descriptor> found = findByDigest(children, wanted, path, depth + 1);
                if (found.isPresent()) {
                    return found;
                }
                path.remove(path.size() - 1);
            }
        }
        return Optional.empty();
    }

    private ResolvedManifest descend(Descriptor d, List<Digest> path, int depth, ImageReference ref)
            throws IOException, ImageException {
        return tryDescend(d, path, depth, ref).orElseThrow(() -> new ImageException(ref + ": index " + d.digest()
                + " has no manifest for platform " + platform));
    }

    /**
     * Follows indexes down to a manifest for this platform: entries whose platform matches come first, in
     * order (image-index.md: the first match is taken), then entries without a platform (nested indexes
     * usually have none; the config's own platform is checked later). Empty when nothing below matches.
     */
    private Optional<ResolvedManifest> tryDescend(Descriptor d, List<Digest> path, int depth, ImageReference ref)
            throws IOException, ImageException {
        if (MediaTypes.MANIFESTS.contains(d.mediaType())) {
            byte[] bytes = layout.readBlob(d, OciLayout.MAX_JSON_BLOB);
            ImageManifest manifest = OciLayout.parseManifest(bytes, d.mediaType(), "manifest " + d.digest());
            return Optional.of(new ResolvedManifest(d, bytes, manifest, path));
        }
        if (!MediaTypes.INDEXES.contains(d.mediaType())) {
            throw new ImageException(ref + ": " + d.digest() + " has media type \"" + d.mediaType()
                    + "\", which is neither an image manifest nor an image index");
        }
        if (depth >= MAX_INDEX_DEPTH) {
            throw new ImageException(ref + ": image indexes are nested more than " + MAX_INDEX_DEPTH + " deep");
        }
        List<Descriptor> children = readIndex(d);
        List<Descriptor> ordered = new ArrayList<>();
        for (Descriptor child : children) {
            if (child.platform().map(platform::accepts).orElse(false)) {
                ordered.add(child);
            }
        }
        for (Descriptor child : children) {
            if (child.platform().isEmpty() && !isSignatureEntry(child)) {
                ordered.add(child);
            }
        }
        List<Digest> next = new ArrayList<>(path);
        next.add(d.digest());
        for (Descriptor child : ordered) {
            Optional<ResolvedManifest> found = tryDescend(child, next, depth + 1, ref);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private List<Descriptor> readIndex(Descriptor d) throws IOException, ImageException {
        return OciLayout.parseIndex(layout.readBlob(d, OciLayout.MAX_JSON_BLOB), "index " + d.digest());
    }
}
