package org.sandboxrunner.core.image;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code oci:DIR[:TAG|@DIGEST]}: an OCI image layout directory and, optionally, which manifest in it.
 *
 * <p>Like containers/image's {@code oci:} transport, the directory ends at the first {@code :} (so a
 * directory name cannot contain one) and the rest is the reference name, matched against the
 * {@code org.opencontainers.image.ref.name} annotation. As an addition, {@code DIR@sha256:HEX} selects a
 * manifest by digest. Without either, the layout must hold exactly one image.
 */
public record ImageReference(Path directory, Optional<String> tag, Optional<Digest> digest) {

    public static final String TRANSPORT = "oci";

    /**
     * The ref.name grammar of the OCI image layout spec (annotations.md): components of alphanumerics
     * joined by separators {@code - . _ : @ / + --}.
     */
    private static final Pattern REF_NAME =
            Pattern.compile("[A-Za-z0-9]+(?:(?:[-._:@/+]|--)[A-Za-z0-9]+)*");

    public ImageReference {
        if (directory == null || tag == null || digest == null) {
            throw new IllegalArgumentException("image reference parts must not be null");
        }
        if (tag.isPresent() && digest.isPresent()) {
            throw new IllegalArgumentException("an image reference names a tag or a digest, not both");
        }
        tag.ifPresent(t -> {
            if (!REF_NAME.matcher(t).matches()) {
                throw new IllegalArgumentException("invalid reference name \"" + t
                        + "\": expected alphanumeric components joined by - . _ : @ / + or --");
            }
        });
    }

    /** Parses {@code oci:DIR}, {@code oci:DIR:TAG} or {@code oci:DIR@sha256:HEX}. */
    public static ImageReference parse(String text) {
        String prefix = TRANSPORT + ":";
        if (text == null || !text.startsWith(prefix)) {
            throw new IllegalArgumentException("invalid image reference \"" + text
                    + "\": expected oci:DIR[:TAG|@sha256:DIGEST]");
        }
        String rest = text.substring(prefix.length());
        int at = rest.indexOf('@');
        int colon = rest.indexOf(':');
        String dir;
        Optional<String> tag = Optional.empty();
        Optional<Digest> digest = Optional.empty();
        if (at >= 0 && (colon < 0 || at < colon)) {
            dir = rest.substring(0, at);
            digest = Optional.of(Digest.parse(rest.substring(at + 1)));
        } else if (colon >= 0) {
            dir = rest.substring(0, colon);
            tag = Optional.of(rest.substring(colon + 1));
        } else {
            dir = rest;
        }
        if (dir.isEmpty()) {
            throw new IllegalArgumentException("invalid image reference \"" + text + "\": the directory is empty");
        }
        return new ImageReference(Path.of(dir), tag, digest);
    }

    @Override
    public String toString() {
        return TRANSPORT + ":" + directory + tag.map(t -> ":" + t).orElse("")
                + digest.map(d -> "@" + d).orElse("");
    }
}
