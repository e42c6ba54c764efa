package org.sandboxrunner.core.box;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.core.image.BeneathFs;
import org.sandboxrunner.core.image.LinuxBeneathFs;

/**
 * CopyBack on fixture directories: an upper layer written by hand the way overlayfs writes one
 * (Documentation/filesystems/overlayfs.rst: whiteouts are character devices 0/0, an opaque directory
 * carries trusted.overlay.opaque=y), applied to a work directory holding what earlier runs left.
 */
class CopyBackTest {
    private final BeneathFs fs = new LinuxBeneathFs();

    @TempDir
    Path upper;

    @TempDir
    Path work;

    @TempDir
    Path outside;

    @Test
    void whiteoutsOpaqueDirectoriesFilesAndWhatIsLeftOut() throws IOException {
        Files.writeString(work.resolve("gone.txt"), "old");
        Files.createDirectories(work.resolve("gonedir/inner"));
        Files.writeString(work.resolve("gonedir/inner/f"), "old");
        Files.createDirectories(work.resolve("opaque"));
        Files.writeString(work.resolve("opaque/old.txt"), "old");
        Files.createDirectories(work.resolve("merged"));
        Files.writeString(work.resolve("merged/kept.txt"), "kept");
        Files.writeString(work.resolve("changed.txt"), "old");

        try (BeneathFs.Fd u = fs.openRoot(upper)) {
            fs.mknod(u, "gone.txt", BeneathFs.S_IFCHR, 0, 0);
            fs.mknod(u, "gonedir", BeneathFs.S_IFCHR, 0, 0);
            fs.mkdir(u, "opaque", 0755);
            try (BeneathFs.Fd o = fs.openDirectory(u, "opaque")) {
                fs.setXattr(o, "trusted.overlay.opaque", "y".getBytes(StandardCharsets.UTF_8));
            }
            fs.mknod(u, "fifo", BeneathFs.S_IFIFO | 0644, 0, 0);
            fs.symlink("/etc/passwd", u, "link");
        }
        Files.writeString(upper.resolve("opaque/new.txt"), "new");
        Files.createDirectories(upper.resolve("merged"));
        Files.writeString(upper.resolve("merged/added.txt"), "added");
        Files.writeString(upper.resolve("changed.txt"), "new!");
        Files.writeString(upper.resolve("suid"), "x");
        Files.setAttribute(upper.resolve("suid"), "unix:mode", 04755);

        CopyBackReport r = CopyBack.apply(upper, work, fs);

        assertFalse(Files.exists(work.resolve("gone.txt"), LinkOption.NOFOLLOW_LINKS), "a whiteout removes a file");
        assertFalse(Files.exists(work.resolve("gonedir"), LinkOption.NOFOLLOW_LINKS), "a whiteout removes a directory tree");
        assertEquals(List.of("new.txt"), names(work.resolve("opaque")), "an opaque directory replaces the old content");
        assertEquals(List.of("added.txt", "kept.txt"), names(work.resolve("merged")), "a merged directory keeps the old content");
        assertEquals("new!", Files.readString(work.resolve("changed.txt")));
        assertEquals(0755, (int) Files.getAttribute(work.resolve("suid"), "unix:mode") & 07777, "no set-ID bit comes home");
        assertFalse(Files.exists(work.resolve("fifo"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(work.resolve("link"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(List.of("fifo (FIFO)", "link (symbolic link)"), r.skipped());
        assertEquals(4, r.files(), r.toString()); // new.txt, added.txt, changed.txt, suid
        assertEquals("new".length() + "added".length() + "new!".length() + "x".length(), r.bytes());
    }

    /** A link an earlier run left where this run made a directory is replaced, never written through. */
    @Test
    void aLinkInTheWorkdirIsReplacedNotFollowed() throws IOException {
        Files.createSymbolicLink(work.resolve("escape"), outside);
        Files.createSymbolicLink(work.resolve("file-link"), outside.resolve("target"));
        Files.createDirectories(upper.resolve("escape"));
        Files.writeString(upper.resolve("escape/file"), "pwned");
        Files.writeString(upper.resolve("file-link"), "pwned");

        CopyBack.apply(upper, work, fs);

        assertEquals(List.of(), names(outside), "nothing was written through a link");
        assertTrue(Files.isDirectory(work.resolve("escape"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isRegularFile(work.resolve("file-link"), LinkOption.NOFOLLOW_LINKS));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
