package org.sandboxrunner.core.box;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.sandboxrunner.core.image.BeneathFs;
import org.sandboxrunner.core.image.BeneathFs.Fd;
import org.sandboxrunner.core.image.BeneathFs.Stat;

/**
 * Brings the changes of a finished run (the upper layer of its {@link BoxOverlay}) home to the host
 * work directory. The upper layer is quiet by then (every process of the run is dead) and bounded by
 * its tmpfs's size and inodes, which are so the caps of what can be written here. The work directory is
 * the caller's and may hold anything an earlier run left, so every change there goes through {@link
 * BeneathFs}: paths resolved beneath it without following a symbolic link, each final call on one name
 * in an opened directory. Per overlayfs.rst: a whiteout (character device 0/0) removes the name; an
 * opaque directory ({@code trusted.overlay.opaque=y}) replaces the old one's content; a regular file is
 * written whole (metacopy is off). Symbolic links, FIFOs, sockets and devices are not brought back: the
 * host entry they replaced is removed and they are reported.
 */
public final class CopyBack {
    private static final String OPAQUE = "trusted.overlay.opaque";
    private static final int PERMISSION_BITS = 0777; // no set-ID or sticky bit comes home

    private final BeneathFs fs;
    private int files, directories, removed;
    private long bytes;
    private final List<String> skipped = new ArrayList<>();
    private final byte[] buffer = new byte[64 * 1024];

    private CopyBack(BeneathFs fs) {
        this.fs = fs;
    }

    public static CopyBackReport apply(Path upper, Path workdir, BeneathFs fs) throws IOException {
        CopyBack c = new CopyBack(fs);
        try (Fd root = fs.openRoot(workdir)) {
            c.merge(upper, root, "");
        }
        return new CopyBackReport(c.files, c.bytes, c.directories, c.removed, c.skipped);
    }

    /** {@code source} is a directory of the upper layer; {@code relative} an existing host directory. */
    private void merge(Path source, Fd root, String relative) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(source)) {
            entries.forEach(p -> names.add(p.getFileName().toString()));
        }
        try (Fd dir = fs.openDirectory(root, relative)) {
            if (!relative.isEmpty() && MountCalls.xattrIs(source.toString(), OPAQUE, "y")) {
                for (String old : list(dir)) {
                    if (!names.contains(old)) {
                        remove(dir, old);
                    }
                }
            }
            for (String name : names) {
                Path from = source.resolve(name);
                String to = relative.isEmpty() ? name : relative + "/" + name;
                Map<String, Object> a = Files.readAttributes(from, "unix:mode,uid,gid,rdev,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
                int mode = (int) a.get("mode");
                Optional<Stat> host = fs.stat(dir, name);
                switch (mode & BeneathFs.S_IFMT) {
                    case BeneathFs.S_IFDIR -> {
                        if (host.isPresent() && !host.get().isDirectory()) {
                            remove(dir, name);
                            host = Optional.empty();
                        }
                        if (host.isEmpty()) {
                            fs.mkdir(dir, name, mode & PERMISSION_BITS);
                            fs.chown(dir, name, (int) a.get("uid"), (int) a.get("gid"));
                            directories++;
                        }
                        merge(from, root, to);
                    }
                    case BeneathFs.S_IFREG -> {
                        if (host.isPresent()) {
                            remove(dir, name);
                        }
                        copyFile(from, dir, name, mode & PERMISSION_BITS);
                        fs.chown(dir, name, (int) a.get("uid"), (int) a.get("gid"));
                        FileTime t = (FileTime) a.get("lastModifiedTime");
                        fs.setTimes(dir, name, t.toInstant().getEpochSecond(), t.toInstant().getNano());
                    }
                    default -> {
                        boolean whiteout = (mode & BeneathFs.S_IFMT) == BeneathFs.S_IFCHR && ((Number) a.get("rdev")).longValue() == 0;
                        if (host.isPresent()) {
                            remove(dir, name);
                        }
                        if (!whiteout) {
                            skipped.add(to + " (" + kind(mode) + ")");
                        }
                    }
                }
            }
        }
    }

    private void copyFile(Path from, Fd dir, String name, int mode) throws IOException {
        try (InputStream in = Files.newInputStream(from, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                Fd out = fs.createFile(dir, name, mode)) {
            fs.chmod(out, mode); // the runner's umask does not decide the run's file modes
            for (int n; (n = in.read(buffer)) > 0; ) {
                fs.write(out, buffer, n);
                bytes += n;
            }
        }
        files++;
    }

    /** Removes {@code name} from the host directory, a directory with everything in it. */
    private void remove(Fd dir, String name) throws IOException {
        Optional<Stat> s = fs.stat(dir, name);
        if (s.isEmpty()) {
            return;
        }
        if (s.get().isDirectory()) {
            try (Fd sub = fs.openDirectory(dir, name)) {
                for (String child : list(sub)) {
                    remove(sub, child);
                }
            }
        }
        fs.unlink(dir, name, s.get().isDirectory());
        removed++;
    }

    /** The names in an opened host directory, read through its descriptor (no path is resolved again). */
    private static List<String> list(Fd dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc/self/fd/" + dir.fd()))) {
            entries.forEach(p -> names.add(p.getFileName().toString()));
        }
        return names;
    }

    private static String kind(int mode) {
        return switch (mode & BeneathFs.S_IFMT) {
            case BeneathFs.S_IFLNK -> "symbolic link";
            case BeneathFs.S_IFIFO -> "FIFO";
            case BeneathFs.S_IFCHR -> "character device";
            case BeneathFs.S_IFBLK -> "block device";
            default -> "socket";
        };
    }
}
