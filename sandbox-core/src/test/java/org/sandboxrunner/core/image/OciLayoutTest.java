package org.sandboxrunner.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.core.trust.Vectors;

/** Layout reading: the go-containerregistry vector, and every descriptor check on layouts built here. */
class OciLayoutTest {

    @TempDir
    Path base;

    private static final Platform AMD64 = new Platform("linux", "amd64", Optional.empty());

    private Path copyOfVector() throws IOException {
        Path src = Vectors.dir().resolve("oci-layout/ggcr-one-image");
        Path dst = base.resolve("ggcr");
        try (var files = Files.walk(src)) {
            for (Path p : files.toList()) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return dst;
    }

    @Test
    void ggcrVectorResolvesAndUnpacks() throws Exception {
        Path dir = copyOfVector();
        OciLayout layout = OciLayout.open(dir);
        ResolvedManifest m = new ManifestResolver(layout, AMD64).resolve(ImageReference.parse("oci:" + dir));
        assertEquals(344, m.descriptor().size());
        assertEquals(452, m.manifest().config().size());
        assertEquals(1, m.manifest().layers().size());
        assertEquals(114, m.manifest().layers().get(0).size());
        VerifiedImage image = new ImageVerifier(HostileLayerTest.acceptAll(), Clock.systemUTC(), AMD64)
                .verifyAndUnpack(ImageReference.parse("oci:" + dir), LayerCache.open(base.resolve("cache"),
                        new LinuxBeneathFs()), UnpackOptions.DEFAULTS);
        assertEquals(m.digest(), image.manifestDigest());
        assertEquals(List.of("test"), list(image.lowerDirs().get(0)));
        assertEquals(image.config().diffIds().get(0), image.layers().get(0).diffId());
        assertEquals(image.layers().get(0).diffId(), image.layers().get(0).chainId(), "ChainID(L0) = DiffID(L0)");
    }

    @Test
    void aFlippedLayerByteIsRefused() throws Exception {
        Path dir = copyOfVector();
        OciLayout layout = OciLayout.open(dir);
        Descriptor layer = new ManifestResolver(layout, AMD64).resolve(ImageReference.parse("oci:" + dir))
                .manifest().layers().get(0);
        Path blob = dir.resolve("blobs/sha256").resolve(layer.digest().hex());
        byte[] data = Files.readAllBytes(blob);
        data[data.length - 5] ^= 0x01;
        Files.write(blob, data);
        ImageException e = assertThrows(ImageException.class, () -> new ImageVerifier(HostileLayerTest.acceptAll(),
                Clock.systemUTC(), AMD64).verifyAndUnpack(ImageReference.parse("oci:" + dir),
                LayerCache.open(base.resolve("cache"), new LinuxBeneathFs()), UnpackOptions.DEFAULTS));
        assertTrue(e.getMessage().startsWith("layer 0 (" + layer.digest() + ") is refused: "), e.getMessage());
        assertTrue(Files.notExists(base.resolve("cache/layers")));
    }

    @Test
    void aBlobLongerThanItsDescriptorIsRefusedWithoutReadingIt() throws Exception {
        TestLayout l = new TestLayout(base.resolve("l"));
        Descriptor d = l.blob(MediaTypes.OCI_CONFIG, "{}".getBytes(StandardCharsets.UTF_8));
        Files.write(l.dir.resolve("blobs/sha256").resolve(d.digest().hex()), new byte[10_000_000]);
        ImageException e = assertThrows(ImageException.class,
                () -> OciLayout.open(l.dir).readBlob(d, OciLayout.MAX_JSON_BLOB));
        assertEquals("blob " + d.digest() + " is larger than its descriptor's size 2", e.getMessage());
        Descriptor shorter = Descriptor.of(MediaTypes.OCI_CONFIG, d.digest(), 20_000_000);
        ImageException s = assertThrows(ImageException.class,
                () -> OciLayout.open(l.dir).readBlob(shorter, 1 << 30));
        assertEquals("blob " + d.digest() + " is 10000000 bytes, but its descriptor says 20000000", s.getMessage());
        ImageException big = assertThrows(ImageException.class,
                () -> OciLayout.open(l.dir).readBlob(shorter, OciLayout.MAX_JSON_BLOB));
        assertEquals("blob " + d.digest() + " (" + MediaTypes.OCI_CONFIG + ") declares 20000000 bytes, more than the"
                + " limit of 4194304", big.getMessage());
    }

    @Test
    void aBlobWithAnotherDigestIsRefused() throws Exception {
        TestLayout l = new TestLayout(base.resolve("l"));
        Descriptor d = l.blob(MediaTypes.OCI_CONFIG, "{}".getBytes(StandardCharsets.UTF_8));
        Files.writeString(l.dir.resolve("blobs/sha256").resolve(d.digest().hex()), "[]");
        ImageException e = assertThrows(ImageException.class,
                () -> OciLayout.open(l.dir).readBlob(d, OciLayout.MAX_JSON_BLOB));
        assertEquals("blob " + d.digest() + " has digest " + Digest.sha256("[]".getBytes(StandardCharsets.UTF_8)),
                e.getMessage());
    }

    @Test
    void digestGrammarIsCheckedBeforeAnyPathIsBuilt() throws Exception {
        TestLayout l = new TestLayout(base.resolve("l"));
        Files.writeString(l.dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"sha256:../../../../etc/passwd\",\"size\":1}]}");
        ImageException e = assertThrows(ImageException.class, () -> OciLayout.open(l.dir));
        assertEquals(l.dir + "/index.json manifests[0]: invalid sha256 digest \"../../../../etc/passwd\": expected 64"
                + " lowercase hex digits", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Digest.parse("md5:d41d8cd98f00b204e9800998ecf8427e"));
        assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256:" + "A".repeat(64)));
    }

    @Test
    void selectionByTagDigestAndPlatformThroughNestedIndexes() throws Exception {
        TestLayout l = new TestLayout(base.resolve("l"));
        Descriptor amd = l.image(List.of(TestLayout.Layer.tar(TestTar.build(t -> t.file("a", "amd", 0644)))), "");
        Descriptor arm = l.image(List.of(TestLayout.Layer.tar(TestTar.build(t -> t.file("a", "arm", 0644)))), "");
        String inner = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + platformed(arm, "arm64") + "," + platformed(amd, "amd64") + "]}";
        Descriptor innerIndex = l.blob(MediaTypes.OCI_INDEX, inner.getBytes(StandardCharsets.UTF_8));
        String outer = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + TestLayout.descriptorJson(innerIndex, Map.of()) + "]}";
        Descriptor outerIndex = l.blob(MediaTypes.OCI_INDEX, outer.getBytes(StandardCharsets.UTF_8));
        l.tag(outerIndex, "multi").tag(amd, "single");
        OciLayout layout = OciLayout.open(l.dir);
        ManifestResolver r = new ManifestResolver(layout, AMD64);
        ResolvedManifest viaIndex = r.resolve(ImageReference.parse("oci:" + l.dir + ":multi"));
        assertEquals(amd.digest(), viaIndex.digest());
        assertEquals(List.of(outerIndex.digest(), innerIndex.digest()), viaIndex.indexPath());
        ResolvedManifest arm64 = new ManifestResolver(layout, new Platform("linux", "arm64", Optional.empty()))
                .resolve(ImageReference.parse("oci:" + l.dir + ":multi"));
        assertEquals(arm.digest(), arm64.digest());
        ResolvedManifest byDigest = r.resolve(ImageReference.parse("oci:" + l.dir + "@" + arm.digest()));
        assertEquals(List.of(outerIndex.digest(), innerIndex.digest()), byDigest.indexPath());
        assertEquals(amd.digest(), r.resolve(ImageReference.parse("oci:" + l.dir + ":single")).digest());
        ImageException none = assertThrows(ImageException.class, () -> new ManifestResolver(layout,
                new Platform("linux", "s390x", Optional.empty())).resolve(ImageReference.parse("oci:" + l.dir + ":multi")));
        assertEquals("oci:" + l.dir + ":multi: index " + outerIndex.digest() + " has no manifest for platform linux/s390x",
                none.getMessage());
        ImageException ambiguous = assertThrows(ImageException.class,
                () -> r.resolve(ImageReference.parse("oci:" + l.dir)));
        assertEquals("oci:" + l.dir + ": index.json lists 2 images; name one with :TAG or @sha256:DIGEST",
                ambiguous.getMessage());
        ImageException missing = assertThrows(ImageException.class,
                () -> r.resolve(ImageReference.parse("oci:" + l.dir + ":nope")));
        assertEquals("oci:" + l.dir + ":nope: no manifest is named \"nope\" in index.json", missing.getMessage());
    }

    @Test
    void zstdAndPlainTarLayersUnpackAndDiffIdsAreChecked() throws Exception {
        TestLayout l = new TestLayout(base.resolve("l"));
        byte[] tar = TestTar.build(t -> t.file("etc/zstd", "zstd layer", 0644));
        Path tarFile = base.resolve("layer.tar");
        Files.write(tarFile, tar);
        Process p = new ProcessBuilder("zstd", "-q", "-19", "-f", tarFile.toString(), "-o",
                base.resolve("layer.tar.zst").toString()).inheritIO().start();
        assertEquals(0, p.waitFor(), "zstd (Debian package zstd) compresses the layer");
        byte[] zst = Files.readAllBytes(base.resolve("layer.tar.zst"));
        TestLayout.Layer zstd = new TestLayout.Layer(Digest.sha256(tar), MediaTypes.OCI_LAYER_ZSTD, zst);
        TestLayout.Layer plain = TestLayout.Layer.tar(TestTar.build(t -> t.file("etc/plain", "plain layer", 0644)));
        l.tag(l.image(List.of(zstd, plain), ""), "z");
        VerifiedImage image = new ImageVerifier(HostileLayerTest.acceptAll(), Clock.systemUTC()).verifyAndUnpack(
                ImageReference.parse("oci:" + l.dir + ":z"), LayerCache.open(base.resolve("cache"), new LinuxBeneathFs()),
                UnpackOptions.DEFAULTS);
        assertEquals("zstd layer", Files.readString(image.lowerDirs().get(1).resolve("etc/zstd")));
        assertEquals("plain layer", Files.readString(image.lowerDirs().get(0).resolve("etc/plain")));
        assertEquals(List.of("PATH=/bin"), image.config().env());
        assertEquals(Optional.of("/work"), image.config().workingDir());
        assertEquals(Optional.of("1000:1000"), image.config().user());

        TestLayout.Layer lying = new TestLayout.Layer(Digest.sha256("other".getBytes(StandardCharsets.UTF_8)),
                MediaTypes.OCI_LAYER_GZIP, TestTar.gzip(tar));
        l.tag(l.image(List.of(lying), ""), "lying");
        ImageException e = assertThrows(ImageException.class, () -> new ImageVerifier(HostileLayerTest.acceptAll(),
                Clock.systemUTC()).verifyAndUnpack(ImageReference.parse("oci:" + l.dir + ":lying"),
                LayerCache.open(base.resolve("cache"), new LinuxBeneathFs()), UnpackOptions.DEFAULTS));
        assertTrue(e.getMessage().endsWith("uncompresses to " + Digest.sha256(tar) + ", but rootfs.diff_ids[0] is "
                + lying.diffId()), e.getMessage());
    }

    @Test
    void otherLayerMediaTypesAreRefused() throws Exception {
        TestLayout l = new TestLayout(base.resolve("l"));
        byte[] tar = TestTar.build(t -> t.file("a", "a", 0644));
        TestLayout.Layer odd = new TestLayout.Layer(Digest.sha256(tar), "application/vnd.oci.image.layer.v1.tar+bzip2", tar);
        Descriptor m = l.image(List.of(odd), "");
        l.tag(m, "odd");
        ImageException e = assertThrows(ImageException.class, () -> new ImageVerifier(HostileLayerTest.acceptAll(),
                Clock.systemUTC()).verify(ImageReference.parse("oci:" + l.dir + ":odd")));
        assertEquals("manifest " + m.digest() + " layers[0] has media type \"application/vnd.oci.image.layer.v1.tar+bzip2\","
                + " which is not a tar, tar+gzip or tar+zstd layer", e.getMessage());
    }

    private static String platformed(Descriptor d, String arch) {
        return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size()
                + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"" + arch + "\"}}";
    }

    static List<String> list(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
