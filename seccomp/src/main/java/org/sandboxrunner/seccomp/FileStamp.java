package org.sandboxrunner.seccomp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.CodeSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What tells one version of a file from another without reading it: its device, inode, size,
 * modification time and status-change time. Replacing the file (a package update, a rebuild) gives a
 * new inode or ctime, and no call lets a process set ctime back (stat(2), utimensat(2)), so a stamp
 * changes whenever the content may have. Stamps name versions for a cache key; they are not a
 * defence against whoever can write the file, who owns the runner already.
 */
final class FileStamp {
    private FileStamp() {}

    static String of(Path file) {
        try {
            Map<String, Object> a = Files.readAttributes(file, "unix:dev,ino,size,lastModifiedTime,ctime");
            return file + " dev " + a.get("dev") + " inode " + a.get("ino") + " size " + a.get("size")
                    + " mtime " + nanos(a.get("lastModifiedTime")) + " ctime " + nanos(a.get("ctime"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + file + ": " + e.getMessage(), e);
        }
    }

    /** Nanoseconds since the epoch: FileTime's own text goes through date formatting, slow in a cold JVM. */
    private static long nanos(Object time) {
        return ((FileTime) time).to(TimeUnit.NANOSECONDS);
    }

    /**
     * The stamp of the code a class was loaded from: its jar's, or for a class directory (tests, an
     * IDE) the SHA-256 of the stamps of every file under it.
     */
    static String ofCodeOf(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException(type.getName() + " has no code source to identify it by");
        }
        Path location;
        try {
            location = Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException(type.getName() + " comes from " + source.getLocation() + ", not a file", e);
        }
        if (!Files.isDirectory(location)) {
            return of(location);
        }
        try (Stream<Path> walk = Files.walk(location)) {
            List<String> stamps = walk.filter(Files::isRegularFile).sorted().map(FileStamp::of).toList();
            return location + " files sha256 " + Sha256.hex(stamps.stream().collect(Collectors.joining("\n"))
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + location + ": " + e.getMessage(), e);
        }
    }
}
