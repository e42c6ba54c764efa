package org.sandboxrunner.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.core.trust.TrustPolicy;

/**
 * Hostile layers, each refused or defused, and none touching anything outside the cache. Every test
 * checks a sentinel directory next to the cache, /etc, and that nothing was published or left behind.
 */
class HostileLayerTest {

    @TempDir
    Path base;
    private Path outside;
    private Path cacheRoot;
    private TestLayout layout;

    static TrustPolicy acceptAll() throws Exception {
        return TrustPolicy.parse("{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}".getBytes(StandardCharsets.UTF_8),
                "accept-all.json", Path.of("/"));
    }

    @BeforeEach
    void setUp() throws IOException {
        outside = Files.createDirectories(base.resolve("outside"));
        Files.writeString(outside.resolve("sentinel"), "untouched");
        cacheRoot = base.resolve("cache");
        layout = new TestLayout(base.resolve("layout"));
    }

    private int images;

    private VerifiedImage unpack(UnpackOptions options, byte[]... tars) throws Exception {
        List<TestLayout.Layer> layers = new java.util.ArrayList<>();
        for (byte[] t : tars) {
            layers.add(TestLayout.Layer.gzip(t));
        }
        return unpack(options, layers);
    }

    private VerifiedImage unpack(UnpackOptions options, List<TestLayout.Layer> layers) throws Exception {
        String tag = "image" + (++images);
        layout.tag(layout.image(layers, ""), tag);
        return new ImageVerifier(acceptAll(), Clock.systemUTC()).verifyAndUnpack(
                ImageReference.parse("oci:" + layout.dir + ":" + tag), LayerCache.open(cacheRoot, new LinuxBeneathFs()),
                options);
    }

    private String refused(UnpackOptions options, byte[]... tars) {
        return assertThrows(ImageException.class, () -> unpack(options, tars)).getMessage();
    }

    private void assertNothingEscapedOrPublished() throws IOException {
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(List.of(outside.resolve("sentinel")), s.toList());
        }
        assertEquals("untouched", Files.readString(outside.resolve("sentinel")));
        assertFalse(Files.exists(Path.of("/etc/sandbox-runner-hostile-test"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(cacheRoot.resolve("layers"), LinkOption.NOFOLLOW_LINKS), "nothing published");
        try (Stream<Path> s = Files.list(cacheRoot.resolve("tmp"))) {
            assertEquals(0, s.count(), "temporary unpack directories are removed");
        }
    }

    @Test
    void dotDotPathIsRefused() throws Exception {
        String m = refused(UnpackOptions.DEFAULTS, TestTar.build(t -> t.file("../../outside/evil", "x", 0644)));
        assertTrue(m.endsWith("tar entry name \"../../outside/evil\" contains \"..\"; refused"), m);
        assertNothingEscapedOrPublished();
    }

    @Test
    void absolutePathIsRefused() throws Exception {
        String evil = outside.resolve("evil").toString();
        String m = refused(UnpackOptions.DEFAULTS, TestTar.build(t -> t.file(evil, "x", 0644)));
        assertTrue(m.endsWith("tar entry name \"" + evil + "\" is an absolute path; refused"), m);
        assertNothingEscapedOrPublished();
    }

    @Test
    void absoluteSymlinkThenAFileThroughItIsRefused() throws Exception {
        String m = refused(UnpackOptions.DEFAULTS, TestTar.build(t -> t.symlink("link", outside.toString())
                .file("link/evil", "x", 0644)));
        assertTrue(m.contains("tar entry \"link/evil\" is refused: its parent \"link\" goes through a symlink"), m);
        assertNothingEscapedOrPublished();
    }

    @Test
    void symlinkToEtcFollowedByAWriteIsRefused() throws Exception {
        String m = refused(UnpackOptions.DEFAULTS, TestTar.build(t -> t.symlink("etc", "/etc")
                .file("etc/sandbox-runner-hostile-test", "x", 0644)));
        assertTrue(m.contains("goes through a symlink (openat2(\"etc\"): Too many levels of symbolic links (errno 40))"), m);
        assertNothingEscapedOrPublished();
    }

    /**
     * A later layer writing through an earlier layer's symlink writes into its own directory: each layer
     * is unpacked into a separate tree, so the earlier symlink is not even on the path (overlayfs then shows
     * the later directory over the symlink).
     */
    @Test
    void aLaterLayerCannotWriteThroughAnEarlierLayersSymlink() throws Exception {
        VerifiedImage image = unpack(UnpackOptions.DEFAULTS,
                TestTar.build(t -> t.symlink("up", "../../../../outside")),
                TestTar.build(t -> t.file("up/evil", "x", 0644)));
        assertTrue(Files.isSymbolicLink(image.lowerDirs().get(1).resolve("up")));
        assertTrue(Files.isDirectory(image.lowerDirs().get(0).resolve("up"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isRegularFile(image.lowerDirs().get(0).resolve("up/evil"), LinkOption.NOFOLLOW_LINKS));
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(List.of(outside.resolve("sentinel")), s.toList());
        }
    }

    @Test
    void hardLinkToAHostFileIsRefused() throws Exception {
        String m = refused(UnpackOptions.DEFAULTS, TestTar.build(t -> t.hardlink("passwd", "etc/passwd")));
        assertTrue(m.endsWith("tar entry \"passwd\" is refused: is a hard link to \"etc/passwd\", which is not in the"
                + " image's layers"), m);
        String abs = refused(UnpackOptions.DEFAULTS, TestTar.build(t -> t.hardlink("passwd2", "/etc/passwd")));
        assertTrue(abs.endsWith("tar entry hard link target \"/etc/passwd\" is an absolute path; refused"), abs);
        assertNothingEscapedOrPublished();
    }

    @Test
    void hardLinkThroughASymlinkedDirectoryIsRefused() throws Exception {
        String m = refused(UnpackOptions.DEFAULTS, TestTar.build(t -> t.symlink("host", "/etc")
                .hardlink("shadow", "host/passwd")));
        assertTrue(m.endsWith("tar entry \"shadow\" is refused: hard link target \"host/passwd\": goes through a"
                + " symlink (openat2(\"host\"): Too many levels of symbolic links (errno 40))"), m);
        assertNothingEscapedOrPublished();
    }

    @Test
    void deviceNodesAreDroppedUnlessAllowed() throws Exception {
        byte[] tar = TestTar.build(t -> t.device("dev/mem", '3', 1, 1).device("dev/sda", '4', 8, 0)
                .file("ok", "x", 0644));
        VerifiedImage image = unpack(UnpackOptions.DEFAULTS, tar);
        Path root = image.lowerDirs().get(0);
        assertFalse(Files.exists(root.resolve("dev/mem"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(root.resolve("dev/sda"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(2, image.layers().get(0).stats().droppedDevices());
        assertTrue(Files.isRegularFile(root.resolve("ok")));
    }

    @Test
    void deviceNodesAreCreatedWhenAllowed() throws Exception {
        byte[] tar = TestTar.build(t -> t.device("dev/null", '3', 1, 3));
        VerifiedImage image = unpack(new UnpackOptions(true, false, 1 << 20, 100), tar);
        Path node = image.lowerDirs().get(0).resolve("dev/null");
        assertEquals(0020000, ((Integer) Files.getAttribute(node, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 0170000);
        assertEquals(3L, ((Number) Files.getAttribute(node, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).longValue() & 0xff);
        assertTrue(image.layers().get(0).directory().toString().contains("/layers/devices/sha256/"));
    }

    @Test
    void setuidAndSetgidBitsAreDropped() throws Exception {
        VerifiedImage image = unpack(UnpackOptions.DEFAULTS, TestTar.build(t -> t.file("bin/su", "#!", 04755)
                .file("bin/wall", "#!", 02755).dir("tmp", 01777)));
        Path root = image.lowerDirs().get(0);
        assertEquals(0755, mode(root.resolve("bin/su")));
        assertEquals(0755, mode(root.resolve("bin/wall")));
        assertEquals(01777, mode(root.resolve("tmp")), "the sticky bit is kept");
        assertEquals(2, image.layers().get(0).stats().droppedSetuidBits());
    }

    @Test
    void setuidIsKeptWhenAllowed() throws Exception {
        VerifiedImage image = unpack(new UnpackOptions(false, true, 1 << 20, 100),
                TestTar.build(t -> t.file("bin/su", "#!", 04755)));
        assertEquals(04755, mode(image.lowerDirs().get(0).resolve("bin/su")));
    }

    @Test
    void gzipBombWithAHonestHeaderIsRefusedBeforeItIsWritten() throws Exception {
        long size = 256L << 20;
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        java.security.MessageDigest diff = Digest.newSha256();
        try (OutputStream out = new java.security.DigestOutputStream(new java.util.zip.GZIPOutputStream(gz), diff)) {
            TestTar tar = new TestTar(out);
            tar.raw("bomb", size, o -> zeros(o, size));
            tar.finish();
        }
        assertTrue(gz.size() < size / 500, "a real bomb: " + gz.size() + " compressed bytes");
        TestLayout.Layer bomb = new TestLayout.Layer(new Digest("sha256", java.util.HexFormat.of().formatHex(diff.digest())),
                MediaTypes.OCI_LAYER_GZIP, gz.toByteArray());
        String m = assertThrows(ImageException.class,
                () -> unpack(UnpackOptions.DEFAULTS.withLimits(16L << 20, 1000), List.of(bomb))).getMessage();
        assertTrue(m.endsWith("tar entry \"bomb\" declares 268435456 bytes, more than the 16776704 left of the"
                + " image's limit; refused"), m);
        assertNothingEscapedOrPublished();
    }

    @Test
    void gzipBombOfTrailingZerosIsRefusedByTheByteBudget() throws Exception {
        byte[] small = TestTar.build(t -> t.file("a", "a", 0644));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(small);
        byte[] zeros = new byte[1 << 20];
        for (int i = 0; i < 256; i++) {
            out.write(zeros);
        }
        String m = refused(UnpackOptions.DEFAULTS.withLimits(64L << 20, 1000), out.toByteArray());
        assertTrue(m.endsWith("the image's layers uncompress to more than 67108864 bytes; refused (decompression bomb?)"), m);
        assertNothingEscapedOrPublished();
    }

    @Test
    void hugeFileCountIsRefused() throws Exception {
        byte[] tar = TestTar.build(t -> {
            for (int i = 0; i < 5000; i++) {
                t.file("f/" + i, "", 0644);
            }
        });
        String m = refused(UnpackOptions.DEFAULTS.withLimits(1L << 30, 1000), tar);
        assertTrue(m.endsWith("the image has more than 1000 tar entries (at \"f/1000\"); refused"), m);
        assertNothingEscapedOrPublished();
    }

    @Test
    void ownersComeFromTheArchiveWithinTheIdRange() throws Exception {
        VerifiedImage image = unpack(UnpackOptions.DEFAULTS, TestTar.build(t -> t.owned("home/user/f", 1000, 100)));
        Path f = image.lowerDirs().get(0).resolve("home/user/f");
        assertEquals(1000, ((Number) Files.getAttribute(f, "unix:uid", LinkOption.NOFOLLOW_LINKS)).intValue());
        assertEquals(100, ((Number) Files.getAttribute(f, "unix:gid", LinkOption.NOFOLLOW_LINKS)).intValue());
        String m = refused(UnpackOptions.DEFAULTS, TestTar.build(t -> t.pax("uid", "4294967295").owned("f", 0, 0)));
        assertTrue(m.endsWith("tar entry \"f\" is refused: has uid 4294967295 or gid 0 outside 0..4294967294"), m);
    }

    @Test
    void defaultLimitsAreBounded() {
        assertEquals(16L << 30, UnpackOptions.DEFAULTS.maxBytes());
        assertEquals(1_000_000, UnpackOptions.DEFAULTS.maxEntries());
        assertFalse(UnpackOptions.DEFAULTS.allowDevices());
        assertFalse(UnpackOptions.DEFAULTS.allowSetuid());
    }

    @Test
    void theFallbackWalkerRefusesSymlinksToo() throws Exception {
        LinuxBeneathFs walker = LinuxBeneathFs.withoutOpenat2();
        assertFalse(walker.usesOpenat2());
        Path root = Files.createDirectories(base.resolve("walk"));
        Files.createSymbolicLink(root.resolve("etc"), Path.of("/etc"));
        try (BeneathFs.Fd fd = walker.openRoot(root)) {
            NativeFsException e = assertThrows(NativeFsException.class, () -> walker.openDirectory(fd, "etc"));
            assertEquals("openat(\"etc\"): Too many levels of symbolic links (errno 40)", e.getMessage());
            assertEquals(NativeFsException.ELOOP, e.errno());
            NativeFsException up = assertThrows(NativeFsException.class, () -> walker.openDirectory(fd, "../x"));
            assertEquals(NativeFsException.EXDEV, up.errno());
        }
        assertTrue(new LinuxBeneathFs().usesOpenat2(), "kernel 6.x has openat2");
    }

    private static int mode(Path p) throws IOException {
        return ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
    }

    private static void zeros(OutputStream out, long n) throws IOException {
        byte[] zeros = new byte[1 << 20];
        for (long done = 0; done < n; done += zeros.length) {
            out.write(zeros, 0, (int) Math.min(zeros.length, n - done));
        }
    }
}
