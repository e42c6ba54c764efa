package org.sandboxrunner.core.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds OCI image layouts in a test directory: blobs, a config with diff_ids, a manifest, index.json. */
final class TestLayout {

    final Path dir;
    private final List<String> indexEntries = new ArrayList<>();

    TestLayout(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        writeIndex();
    }

    Descriptor blob(String mediaType, byte[] data) throws IOException {
        Digest d = Digest.sha256(data);
        Files.write(dir.resolve("blobs/sha256").resolve(d.hex()), data);
        return Descriptor.of(mediaType, d, data.length);
    }

    /** A layer: the uncompressed tar and its compressed form (or the tar itself). */
    record Layer(Digest diffId, String mediaType, byte[] blob) {
        static Layer tar(byte[] tar) {
            return new Layer(Digest.sha256(tar), MediaTypes.OCI_LAYER_TAR, tar);
        }

        static Layer gzip(byte[] tar) throws IOException {
            return new Layer(Digest.sha256(tar), MediaTypes.OCI_LAYER_GZIP, TestTar.gzip(tar));
        }
    }

    /** Writes config and manifest for these layers; returns the manifest descriptor (not yet in index.json). */
    Descriptor image(List<Layer> layers, String configExtra) throws IOException {
        StringBuilder diffIds = new StringBuilder();
        StringBuilder layerJson = new StringBuilder();
        for (Layer l : layers) {
            Descriptor b = blob(l.mediaType(), l.blob());
            diffIds.append(diffIds.length() == 0 ? "" : ",").append('"').append(l.diffId()).append('"');
            layerJson.append(layerJson.length() == 0 ? "" : ",").append(descriptorJson(b, Map.of()));
        }
        String config = "{\"architecture\":\"" + Platform.host().architecture() + "\",\"os\":\"linux\","
                + "\"config\":{\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"/bin/sh\"],\"WorkingDir\":\"/work\",\"User\":\"1000:1000\""
                + configExtra + "},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]}}";
        Descriptor c = blob(MediaTypes.OCI_CONFIG, config.getBytes(StandardCharsets.UTF_8));
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + descriptorJson(c, Map.of()) + ",\"layers\":[" + layerJson + "]}";
        return blob(MediaTypes.OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds an entry to index.json, with annotations (e.g. the ref.name) and an optional platform. */
    TestLayout add(Descriptor d, Map<String, String> annotations) throws IOException {
        indexEntries.add(descriptorJson(d, annotations));
        writeIndex();
        return this;
    }

    TestLayout tag(Descriptor d, String tag) throws IOException {
        return add(d, Map.of(Descriptor.REF_NAME, tag));
    }

    static String descriptorJson(Descriptor d, Map<String, String> annotations) {
        StringBuilder a = new StringBuilder();
        annotations.forEach((k, v) -> a.append(a.length() == 0 ? "" : ",").append('"').append(k).append("\":\"")
                .append(v).append('"'));
        return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size()
                + (a.length() == 0 ? "" : ",\"annotations\":{" + a + "}") + "}";
    }

    private void writeIndex() throws IOException {
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
                + "\",\"manifests\":[" + String.join(",", indexEntries) + "]}");
    }
}
