package org.sandboxrunner.seccomp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.sandboxrunner.policy.SeccompSpec;

/**
 * Compiled programs kept on disk from one runner process to the next, so that a new JVM (each
 * {@code sandbox run}) does not pay libseccomp and {@link ProgramCheck} again for a profile it has
 * compiled before (0.1 to 0.4 s each). A stored program is what the kernel will enforce, so the store
 * is trusted like the runner's own jar, and checked on every read:
 * <ul>
 * <li>the directory (symlinks resolved) is owned by the runner's uid and writable by no one else, and
 * every directory above it is owned by root or the runner and writable by no one else, so nobody
 * else can put, swap or rename a file in it;</li>
 * <li>a file is a regular file (not followed if a link), owned by the runner's uid and writable by no
 * one else;</li>
 * <li>its content decodes as a whole record ({@link ProgramRecord}) whose stored SHA-256 matches and
 * whose key is the one looked up; the program passes the kernel's load-time checks again.</li>
 * </ul>
 * Anything else is refused with a warning and the section compiled as if nothing were stored. Files are
 * written to a temporary name and renamed into place, so readers and concurrent writers only ever see
 * whole records. The key is the SHA-256 of the record format, the profile's canonical hash and
 * {@link SeccompCompiler#identity()}: a different libseccomp, kernel or compiler build misses.
 */
public final class ProgramCache {
    /** Where a result came from (for tests and measurements; a run treats both the same). */
    public enum Source { CACHE, COMPILED }

    public record Result(CompiledFilter filter, Source source) {}

    /** Past this many stored programs the least recently written ones are removed when one is added. */
    static final int MAX_ENTRIES = 64;
    static final String SUFFIX = ".program";
    /** A record is far smaller: 4096 instructions of 8 bytes, and libseccomp's listing of them. */
    private static final int MAX_RECORD = 1 << 24;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int S_IFMT = 0170000, S_IFDIR = 0040000, S_IFREG = 0100000, GROUP_OTHER_WRITE = 0022;

    private final SeccompCompiler compiler;
    private final Path dir;
    private final int uid;
    private final Consumer<String> warnings;

    /**
     * @param dir      the store; created (mode 0700) when missing, never under a world-writable directory
     * @param uid      the runner's uid, which must own the store and its files
     * @param warnings told, in one line each, why a stored program was refused or could not be stored
     */
    public ProgramCache(SeccompCompiler compiler, Path dir, int uid, Consumer<String> warnings) {
        this.compiler = compiler;
        this.dir = dir.toAbsolutePath();
        this.uid = uid;
        this.warnings = warnings;
    }

    /**
     * The stored program for the section, or a fresh {@link SeccompCompiler#compile} that is then
     * stored.
     *
     * @param profileSha256 the canonical hash of the profile the section belongs to, which decides it
     */
    public Result compile(SeccompSpec spec, String profileSha256) {
        if (!SHA256.matcher(profileSha256).matches()) {
            throw new IllegalArgumentException("a profile hash is 64 lower-case hex digits, got " + profileSha256);
        }
        Optional<Path> file = file(profileSha256);
        Optional<CompiledFilter> stored = file.flatMap(this::read);
        if (stored.isPresent()) {
            return new Result(stored.get(), Source.CACHE);
        }
        CompiledFilter filter = compiler.compile(spec);
        file.ifPresent(f -> write(f, filter));
        return new Result(filter, Source.COMPILED);
    }

    /** Where the section's program is stored, when the store may be used (else why not, as a warning). */
    private Optional<Path> file(String profileSha256) {
        try {
            Optional<String> identity = compiler.identity();
            if (identity.isEmpty()) {
                warnings.accept("seccomp program cache: not used, the libseccomp file this process runs is not known");
                return Optional.empty();
            }
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path real = dir.toRealPath();
            Optional<String> problem = unsafeDirectory(real);
            if (problem.isPresent()) {
                warnings.accept("seccomp program cache " + real + ": not used: " + problem.get());
                return Optional.empty();
            }
            return Optional.of(real.resolve(key(profileSha256, identity.get()) + SUFFIX));
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            // The store only saves time: when it, or what names this compiler, cannot be read, compile.
            warnings.accept("seccomp program cache " + dir + ": not used: " + e);
            return Optional.empty();
        }
    }

    /** Empty on a miss, and on a refusal (with its warning). */
    private Optional<CompiledFilter> read(Path file) {
        String name = file.getFileName().toString();
        String key = name.substring(0, name.length() - SUFFIX.length());
        try {
            Optional<String> problem = unsafe(file, S_IFREG, "a regular file", false);
            if (problem.isPresent()) {
                return refused(file, problem.get());
            }
            byte[] record;
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                record = in.readNBytes(MAX_RECORD + 1);
            }
            if (record.length > MAX_RECORD) {
                return refused(file, "it is larger than " + MAX_RECORD + " bytes");
            }
            return Optional.of(ProgramRecord.decode(key, record));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return refused(file, e.toString());
        } catch (IllegalArgumentException | SeccompException e) {
            return refused(file, e.getMessage());
        }
    }

    private Optional<CompiledFilter> refused(Path file, String why) {
        warnings.accept("seccomp program cache: " + file + " refused (" + why + "); the section is compiled again");
        return Optional.empty();
    }

    /** Written whole under a temporary name (mode 0600) and renamed over the key's file. */
    private void write(Path file, CompiledFilter filter) {
        String name = file.getFileName().toString();
        Path directory = file.getParent();
        Path temporary = null;
        try {
            temporary = Files.createTempFile(directory, "." + name, ".tmp");
            Files.write(temporary, ProgramRecord.encode(name.substring(0, name.length() - SUFFIX.length()), filter));
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            temporary = null;
            prune(directory);
        } catch (IOException | UncheckedIOException e) {
            warnings.accept("seccomp program cache: " + file + " not stored: " + e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    warnings.accept("seccomp program cache: " + temporary + " not removed: " + e);
                }
            }
        }
    }

    /** Keeps at most {@link #MAX_ENTRIES} programs, removing the least recently written. */
    private static void prune(Path directory) throws IOException {
        List<Path> programs = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            entries.forEach(programs::add);
        }
        if (programs.size() <= MAX_ENTRIES) {
            return;
        }
        programs.sort(Comparator.comparing(ProgramCache::modified));
        for (Path old : programs.subList(0, programs.size() - MAX_ENTRIES)) {
            Files.deleteIfExists(old);
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return FileTime.fromMillis(0); // removed meanwhile: first in line, and deleting it again is harmless
        }
    }

    /** Why the store directory (symlinks resolved) is not one only the runner can change, if it is not. */
    private Optional<String> unsafeDirectory(Path real) throws IOException {
        Optional<String> problem = unsafe(real, S_IFDIR, "a directory", false);
        for (Path above = real.getParent(); problem.isEmpty() && above != null; above = above.getParent()) {
            problem = unsafe(above, S_IFDIR, "a directory", true);
        }
        return problem;
    }

    /**
     * Why the path is not of the type, owned by the runner (or by root, when {@code rootToo}) and
     * writable by its owner alone, if it is not. Read without following a link at the path.
     */
    private Optional<String> unsafe(Path path, int type, String typeName, boolean rootToo) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(path, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
        int owner = (Integer) attributes.get("uid");
        int mode = (Integer) attributes.get("mode");
        if ((mode & S_IFMT) != type) {
            return Optional.of(path + " is not " + typeName);
        }
        if (owner != uid && !(rootToo && owner == 0)) {
            return Optional.of(path + " is owned by uid " + owner + ", not by the runner's uid " + uid
                    + (rootToo ? " or root" : ""));
        }
        if ((mode & GROUP_OTHER_WRITE) != 0) {
            return Optional.of(path + " is writable by its group or others (mode " + Integer.toOctalString(mode & 07777) + ")");
        }
        return Optional.empty();
    }

    static String key(String profileSha256, String identity) {
        String text = "sandbox-runner seccomp program\nformat " + ProgramRecord.FORMAT + "\nprofile " + profileSha256
                + "\n" + identity;
        return Sha256.hex(text.getBytes(StandardCharsets.UTF_8));
    }
}
