package org.sandboxrunner.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whiteouts as overlayfs sees them (a real mount), reuse, concurrent publication and the cache root checks. */
class LayerCacheTest {

    @TempDir
    Path base;

    private VerifiedImage unpack(TestLayout layout, String tag, Path cache) throws Exception {
        return new ImageVerifier(HostileLayerTest.acceptAll(), Clock.systemUTC()).verifyAndUnpack(
                ImageReference.parse("oci:" + layout.dir + ":" + tag), LayerCache.open(cache, new LinuxBeneathFs()),
                UnpackOptions.DEFAULTS);
    }

    @Test
    void whiteoutsAndOpaqueDirectoriesGiveTheMergedViewOverlayfsShows() throws Exception {
        TestLayout l = new TestLayout(base.resolve("layout"));
        byte[] bottom = TestTar.build(t -> t.dir("a", 0755).file("a/keep", "k", 0644).file("a/gone", "g", 0644)
                .dir("d", 0755).file("d/old", "o", 0644).file("f", "bottom", 0644).file("bin/tool", "t", 0755)
                .hardlink("bin/alias", "bin/tool"));
        byte[] top = TestTar.build(t -> t.file("a/.wh.gone", "", 0644).dir("d", 0755).file("d/.wh..wh..opq", "", 0644)
                .file("d/new", "n", 0644).file("f", "top", 0644).hardlink("copied", "a/keep"));
        l.tag(l.image(List.of(TestLayout.Layer.gzip(bottom), TestLayout.Layer.gzip(top)), ""), "w");
        VerifiedImage image = unpack(l, "w", base.resolve("cache"));
        Path upperLayer = image.lowerDirs().get(0);
        assertEquals(0, ((Number) Files.getAttribute(upperLayer.resolve("a/gone"), "unix:rdev",
                LinkOption.NOFOLLOW_LINKS)).intValue(), "a whiteout is a 0/0 character device");
        assertEquals(2, ((Number) Files.getAttribute(image.lowerDirs().get(1).resolve("bin/tool"), "unix:nlink")).intValue(),
                "a hard link inside one layer is a hard link");

        Path merged = Files.createDirectories(base.resolve("merged"));
        String lower = image.lowerDirs().stream().map(Path::toString).collect(Collectors.joining(":"));
        run("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + lower, merged.toString());
        try {
            assertEquals(List.of("keep"), OciLayoutTest.list(merged.resolve("a")));
            assertEquals(List.of("new"), OciLayoutTest.list(merged.resolve("d")), "opaque: d/old is hidden");
            assertEquals("top", Files.readString(merged.resolve("f")));
            assertEquals("k", Files.readString(merged.resolve("copied")), "a hard link to a lower layer is copied");
        } finally {
            run("umount", merged.toString());
        }
    }

    @Test
    void aCachedLayerIsReusedByItsChainId() throws Exception {
        TestLayout l = new TestLayout(base.resolve("layout"));
        byte[] tar = TestTar.build(t -> t.file("x", "x", 0644));
        l.tag(l.image(List.of(TestLayout.Layer.gzip(tar)), ""), "gz");
        l.tag(l.image(List.of(TestLayout.Layer.tar(tar)), ""), "plain");
        VerifiedImage first = unpack(l, "gz", base.resolve("cache"));
        VerifiedImage second = unpack(l, "plain", base.resolve("cache"));
        assertFalse(first.layers().get(0).reused());
        assertTrue(second.layers().get(0).reused(), "same DiffID, other compression: same cache entry");
        assertEquals(first.lowerDirs(), second.lowerDirs());
        assertTrue(first.lowerDirs().get(0).startsWith(base.resolve("cache/layers/strict/sha256")));
    }

    @Test
    void concurrentRunsPublishOneCopy() throws Exception {
        TestLayout l = new TestLayout(base.resolve("layout"));
        byte[] tar = TestTar.build(t -> {
            for (int i = 0; i < 300; i++) {
                t.file("dir/file" + i, "content " + i, 0644);
            }
        });
        l.tag(l.image(List.of(TestLayout.Layer.gzip(tar)), ""), "c");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<VerifiedImage>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Callable<VerifiedImage> run = () -> unpack(l, "c", base.resolve("cache"));
                runs.add(pool.submit(run));
            }
            Path dir = null;
            for (Future<VerifiedImage> f : runs) {
                Path d = f.get().lowerDirs().get(0);
                assertTrue(dir == null || dir.equals(d));
                dir = d;
            }
            assertEquals(300, OciLayoutTest.list(dir.resolve("dir")).size());
        } finally {
            pool.shutdownNow();
        }
        try (var s = Files.list(base.resolve("cache/tmp"))) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void aCacheRootOthersCanWriteIsRefused() throws Exception {
        Path root = Files.createDirectory(base.resolve("open"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException e = assertThrows(IOException.class, () -> LayerCache.open(root, new LinuxBeneathFs()));
        assertEquals("cache root " + root + " must be owned by uid 0 and not writable by group or others (owner 0,"
                + " mode 777)", e.getMessage());
        IOException colon = assertThrows(IOException.class,
                () -> LayerCache.open(base.resolve("a:b"), new LinuxBeneathFs()));
        assertEquals("cache root " + base.resolve("a:b") + " must not contain ':', ',' or '\\'", colon.getMessage());
    }

    @Test
    void theDefaultCacheRootForRootIsUnderVarCache() {
        assertEquals(Path.of("/var/cache/sandbox-runner"), LayerCache.defaultRoot());
    }

    @Test
    void chainIdsFollowTheImageSpec() {
        Digest a = Digest.sha256(new byte[] {1});
        Digest b = Digest.sha256(new byte[] {2});
        assertEquals(List.of(a, Digest.sha256((a + " " + b).getBytes(java.nio.charset.StandardCharsets.US_ASCII))),
                LayerCache.chainIds(List.of(a, b)));
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertEquals(0, p.waitFor(), String.join(" ", command));
    }
}
