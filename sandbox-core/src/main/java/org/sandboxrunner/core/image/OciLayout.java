package org.sandboxrunner.core.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An OCI image layout directory (image-layout.md): {@code oci-layout}, {@code index.json} and
 * {@code blobs/<alg>/<hex>}. Every blob is read through its descriptor: the digest grammar is checked
 * before the path is built ({@link Digest}), at most size + 1 bytes are read, then the digest is compared.
 */
public final class OciLayout {

    /** containers/image bounds manifests and configs at 4 MiB; so do we, and index.json too. */
    public static final long MAX_JSON_BLOB = 4L << 20;

    private final Path root;
    private final List<Descriptor> manifests;

    private OciLayout(Path root, List<Descriptor> manifests) {
        this.root = root;
        this.manifests = List.copyOf(manifests);
    }

    /** Opens a layout, checking {@code oci-layout} and reading {@code index.json}. */
    public static OciLayout open(Path directory) throws IOException, ImageException {
        Path root = directory.toRealPath();
        if (!Files.isDirectory(root)) {
            throw new ImageException(directory + " is not a directory");
        }
        OciJson.LayoutJson marker = OciJson.read(readFile(root.resolve("oci-layout"), 4096, "oci-layout"),
                OciJson.LayoutJson.class, directory + "/oci-layout");
        if (!"1.0.0".equals(marker.imageLayoutVersion())) {
            throw new ImageException(directory + "/oci-layout: unsupported imageLayoutVersion \""
                    + marker.imageLayoutVersion() + "\" (supported: 1.0.0)");
        }
        byte[] indexBytes = readFile(root.resolve("index.json"), MAX_JSON_BLOB, "index.json");
        List<Descriptor> manifests = parseIndex(indexBytes, directory + "/index.json");
        return new OciLayout(root, manifests);
    }

    /** The layout's resolved directory (symlinks resolved, as containers/image does for policy scopes). */
    public Path root() {
        return root;
    }

    /** The descriptors listed in {@code index.json}. */
    public List<Descriptor> manifests() {
        return manifests;
    }

    /** Reads a whole blob (a manifest, index, config or signature), bounded by {@code maxSize}. */
    public byte[] readBlob(Descriptor descriptor, long maxSize) throws IOException, ImageException {
        if (descriptor.size() > maxSize) {
            throw new ImageException("blob " + descriptor.digest() + " (" + descriptor.mediaType() + ") declares "
                    + descriptor.size() + " bytes, more than the limit of " + maxSize);
        }
        try (VerifyingBlobStream in = openBlob(descriptor)) {
            byte[] data = in.readNBytes((int) descriptor.size() + 1);
            in.drainAndVerify();
            return data;
        } catch (BlobMismatchException e) {
            throw new ImageException(e.getMessage(), e);
        }
    }

    /**
     * Opens a blob as a stream that verifies size and digest as it is read; a mismatch surfaces as an
     * {@link IOException} subclass that {@link #isMismatch} recognises.
     */
    public VerifyingBlobStream openBlob(Descriptor descriptor) throws IOException, ImageException {
        Path path = blobPath(descriptor.digest());
        try {
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isRegularFile()) {
                throw new ImageException("blob " + descriptor.digest() + " is not a regular file in the layout");
            }
            InputStream in = Channels.newInputStream(Files.newByteChannel(path, StandardOpenOption.READ,
                    LinkOption.NOFOLLOW_LINKS));
            return new VerifyingBlobStream(in, descriptor);
        } catch (NoSuchFileException e) {
            throw new ImageException("blob " + descriptor.digest() + " is missing from the layout", e);
        }
    }

    /** Whether an exception from a blob stream means the blob is not what its descriptor says. */
    public static boolean isMismatch(IOException e) {
        return e instanceof BlobMismatchException;
    }

    Path blobPath(Digest digest) {
        // Safe only because Digest's constructor restricted both parts to [a-z0-9] of a fixed length.
        return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }

    /** Parses an index ({@code index.json} or an index blob) into validated descriptors. */
    static List<Descriptor> parseIndex(byte[] json, String where) throws ImageException {
        OciJson.IndexJson index = OciJson.read(json, OciJson.IndexJson.class, where);
        if (index.schemaVersion() == null || index.schemaVersion() != 2) {
            throw new ImageException(where + ": schemaVersion must be 2, got " + index.schemaVersion());
        }
        if (index.mediaType() != null && !MediaTypes.INDEXES.contains(index.mediaType())) {
            throw new ImageException(where + ": mediaType \"" + index.mediaType() + "\" is not an image index");
        }
        if (index.manifests() == null) {
            throw new ImageException(where + ": manifests is missing");
        }
        List<Descriptor> result = new ArrayList<>();
        for (int i = 0; i < index.manifests().size(); i++) {
            result.add(descriptor(index.manifests().get(i), where + " manifests[" + i + "]"));
        }
        return result;
    }

    /** Parses and validates an image manifest blob whose descriptor said {@code descriptorMediaType}. */
    static ImageManifest parseManifest(byte[] json, String descriptorMediaType, String where)
            throws ImageException {
        OciJson.ManifestJson m = OciJson.read(json, OciJson.ManifestJson.class, where);
        if (m.schemaVersion() == null || m.schemaVersion() != 2) {
            throw new ImageException(where + ": schemaVersion must be 2, got " + m.schemaVersion());
        }
        String mediaType = m.mediaType() == null ? descriptorMediaType : m.mediaType();
        if (!mediaType.equals(descriptorMediaType)) {
            throw new ImageException(where + ": mediaType \"" + mediaType + "\" differs from its descriptor's \""
                    + descriptorMediaType + "\"");
        }
        if (m.config() == null) {
            throw new ImageException(where + ": config is missing");
        }
        if (m.layers() == null) {
            throw new ImageException(where + ": layers is missing");
        }
        List<Descriptor> layers = new ArrayList<>();
        for (int i = 0; i < m.layers().size(); i++) {
            layers.add(descriptor(m.layers().get(i), where + " layers[" + i + "]"));
        }
        Optional<Descriptor> subject = m.subject() == null ? Optional.empty()
                : Optional.of(descriptor(m.subject(), where + " subject"));
        return new ImageManifest(mediaType, descriptor(m.config(), where + " config"), layers, subject,
                Optional.ofNullable(m.artifactType()), m.annotations());
    }

    static Descriptor descriptor(OciJson.DescriptorJson d, String where) throws ImageException {
        if (d.mediaType() == null || d.mediaType().isEmpty()) {
            throw new ImageException(where + ": mediaType is missing");
        }
        if (d.size() == null || d.size() < 0) {
            throw new ImageException(where + ": size is missing or negative");
        }
        if (d.digest() == null) {
            throw new ImageException(where + ": digest is missing");
        }
        Digest digest;
        try {
            digest = Digest.parse(d.digest());
        } catch (IllegalArgumentException e) {
            throw new ImageException(where + ": " + e.getMessage(), e);
        }
        Optional<Platform> platform = Optional.empty();
        if (d.platform() != null) {
            if (d.platform().os() == null || d.platform().architecture() == null) {
                throw new ImageException(where + ": platform needs os and architecture");
            }
            platform = Optional.of(new Platform(d.platform().os(), d.platform().architecture(),
                    Optional.ofNullable(d.platform().variant())));
        }
        return new Descriptor(d.mediaType(), digest, d.size(), d.annotations(), platform,
                Optional.ofNullable(d.artifactType()));
    }

    /** Reads and checks the config of a container image manifest (its media type, digest and contents). */
    public ImageConfig readConfig(ImageManifest manifest, Platform platform) throws IOException, ImageException {
        Descriptor c = manifest.config();
        if (!MediaTypes.CONFIGS.contains(c.mediaType())) {
            throw new ImageException("config " + c.digest() + " has media type \"" + c.mediaType()
                    + "\": it is not a container image");
        }
        return parseConfig(readBlob(c, MAX_JSON_BLOB), manifest, platform, "config " + c.digest());
    }

    /**
     * Parses an image config and checks it against the manifest it belongs to: one diff_id per layer,
     * {@code rootfs.type} "layers", and a platform this machine runs.
     */
    private static ImageConfig parseConfig(byte[] json, ImageManifest manifest, Platform platform, String where)
            throws ImageException {
        OciJson.ConfigJson c = OciJson.read(json, OciJson.ConfigJson.class, where);
        if (c.os() == null || c.architecture() == null) {
            throw new ImageException(where + ": os and architecture are required");
        }
        Platform own = new Platform(c.os(), c.architecture(), Optional.ofNullable(c.variant()));
        if (!platform.accepts(own)) {
            throw new ImageException(where + ": the image is for " + own + ", this machine runs " + platform);
        }
        if (c.rootfs() == null || !"layers".equals(c.rootfs().type()) || c.rootfs().diffIds() == null) {
            throw new ImageException(where + ": rootfs must be {\"type\": \"layers\", \"diff_ids\": [...]}");
        }
        if (c.rootfs().diffIds().size() != manifest.layers().size()) {
            throw new ImageException(where + ": rootfs.diff_ids has " + c.rootfs().diffIds().size()
                    + " entries but the manifest has " + manifest.layers().size() + " layers");
        }
        List<Digest> diffIds = new ArrayList<>();
        for (int i = 0; i < c.rootfs().diffIds().size(); i++) {
            try {
                diffIds.add(Digest.parse(c.rootfs().diffIds().get(i)));
            } catch (IllegalArgumentException e) {
                throw new ImageException(where + ": rootfs.diff_ids[" + i + "]: " + e.getMessage(), e);
            }
        }
        OciJson.ContainerConfigJson cc = c.config();
        if (cc == null) {
            return new ImageConfig(c.os(), c.architecture(), List.of(), List.of(), List.of(), Optional.empty(),
                    Optional.empty(), diffIds);
        }
        return new ImageConfig(c.os(), c.architecture(), orEmpty(cc.env()), orEmpty(cc.entrypoint()),
                orEmpty(cc.cmd()), Optional.ofNullable(cc.workingDir()).filter(s -> !s.isEmpty()),
                Optional.ofNullable(cc.user()).filter(s -> !s.isEmpty()), diffIds);
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }

    private static byte[] readFile(Path path, long max, String name) throws IOException, ImageException {
        try (InputStream in = Channels.newInputStream(Files.newByteChannel(path, StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS))) {
            byte[] data = in.readNBytes((int) max + 1);
            if (data.length > max) {
                throw new ImageException(name + " is larger than " + max + " bytes");
            }
            return data;
        } catch (NoSuchFileException e) {
            throw new ImageException(path.getParent() + " is not an OCI image layout: " + name + " is missing", e);
        }
    }
}
