package org.sandboxrunner.seccomp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The file a shared library was loaded from, as the kernel names it in /proc/self/maps (proc(5): the
 * last field of a file-backed mapping is its path, symlinks resolved). JNA knows only the name it
 * handed to dlopen(3); the mapping names the file whose code actually runs.
 */
final class MappedLibrary {
    static final Path SELF_MAPS = Path.of("/proc/self/maps");

    private MappedLibrary() {}

    /** The mapped file of {@code soname} (its name is the soname, or the soname and a version suffix). */
    static Optional<Path> of(String soname) {
        try {
            return find(Files.readAllLines(SELF_MAPS), soname);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SELF_MAPS + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses maps lines ({@code address perms offset dev inode path}); empty when no mapping or more
     * than one file matches, since then it is not known which one libseccomp's code comes from.
     */
    static Optional<Path> find(List<String> mapsLines, String soname) {
        TreeSet<Path> files = new TreeSet<>();
        for (String line : mapsLines) {
            // Only the path has a '/': the address, permissions, offset, device and inode have none.
            int slash = line.indexOf('/');
            if (slash < 0 || !line.contains(soname)) {
                continue; // anonymous, [heap], [stack], or another file
            }
            Path path = Path.of(line.substring(slash));
            String name = path.getFileName().toString();
            if (name.equals(soname) || name.startsWith(soname + ".")) {
                files.add(path);
            }
        }
        return files.size() == 1 ? Optional.of(files.first()) : Optional.empty();
    }
}
