package org.sandboxrunner.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whiteouts as another tool writes them: umoci repack turns a deleted file into {@code .wh.NAME}; the
 * layers unpacked here and mounted by the kernel's overlayfs show the image umoci's bundle had.
 */
class UmociWhiteoutTest {

    @TempDir
    Path base;

    @Test
    void umociWhiteoutsHideLowerFilesInTheMountedImage() throws Exception {
        Path rootfs = Files.createDirectories(base.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createSymbolicLink(rootfs.resolve("bin/sh"), Path.of("busybox"));
        Files.createDirectories(rootfs.resolve("etc/conf.d"));
        Files.writeString(rootfs.resolve("etc/conf.d/a"), "a\n");
        Path img = base.resolve("img");
        Map<String, String> none = Map.of();
        ExternalTools.run(none, base, "umoci", "init", "--layout", img.toString());
        ExternalTools.run(none, base, "umoci", "new", "--image", img + ":1");
        ExternalTools.run(none, base, "umoci", "insert", "--image", img + ":1", rootfs.resolve("bin").toString(), "/bin");
        ExternalTools.run(none, base, "umoci", "insert", "--image", img + ":1", rootfs.resolve("etc").toString(), "/etc");
        Path bundle = base.resolve("bundle");
        ExternalTools.run(none, base, "umoci", "unpack", "--image", img + ":1", bundle.toString());
        Files.delete(bundle.resolve("rootfs/bin/sh"));
        Files.delete(bundle.resolve("rootfs/etc/conf.d/a"));
        Files.writeString(bundle.resolve("rootfs/etc/conf.d/b"), "b\n");
        ExternalTools.run(none, base, "umoci", "repack", "--image", img + ":2", bundle.toString());

        VerifiedImage image = new ImageVerifier(HostileLayerTest.acceptAll(), Clock.systemUTC()).verifyAndUnpack(
                ImageReference.parse("oci:" + img + ":2"), LayerCache.open(base.resolve("cache"), new LinuxBeneathFs()),
                UnpackOptions.DEFAULTS);
        assertEquals(3, image.lowerDirs().size());
        assertTrue(Files.exists(image.lowerDirs().get(0).resolve("bin/sh"), LinkOption.NOFOLLOW_LINKS),
                "the whiteout is in the top layer");

        Path merged = Files.createDirectories(base.resolve("merged"));
        Path upper = Files.createDirectories(base.resolve("upper"));
        Path work = Files.createDirectories(base.resolve("work"));
        ExternalTools.run(none, base, "mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + image.lowerDirs().stream()
                .map(Path::toString).collect(Collectors.joining(":")) + ",upperdir=" + upper + ",workdir=" + work,
                merged.toString());
        try {
            assertFalse(Files.exists(merged.resolve("bin/sh"), LinkOption.NOFOLLOW_LINKS));
            assertTrue(Files.isRegularFile(merged.resolve("bin/busybox")));
            assertEquals(List.of("b"), OciLayoutTest.list(merged.resolve("etc/conf.d")));
        } finally {
            ExternalTools.run(none, base, "umount", merged.toString());
        }
    }
}
