package org.sandboxrunner.tests.escape;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.sandboxrunner.core.run.Bind;

/**
 * The hostile programs of one test class, staged from the resources under {@code hostile/} into a
 * directory of the host: C sources compiled once with the host's gcc, scripts copied. The sandbox
 * sees the directory read-only at {@link #MOUNT}; the tests run the same files outside by their host
 * paths.
 */
final class HostilePrograms {
    static final String MOUNT = "/hostile";
    private static final String RESOURCES = "hostile/";
    private static final long COMPILE_SECONDS = 60;

    private final Path dir;

    private HostilePrograms(Path dir) {
        this.dir = dir;
    }

    /**
     * Stages {@code names} (file names under resources/hostile, e.g. {@code fs_mount.c}) into {@code dir};
     * the C sources are compiled side by side, each with gcc -Wall -Wextra -Werror.
     */
    static HostilePrograms stage(Path dir, List<String> names) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            copy("hostile.h", dir.resolve("hostile.h"));
            Map<String, Process> compiling = new LinkedHashMap<>();
            for (String name : names) {
                copy(name, dir.resolve(name));
                if (name.endsWith(".c")) {
                    compiling.put(name, gcc(dir, name));
                } else {
                    Files.setPosixFilePermissions(dir.resolve(name), PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
            for (Map.Entry<String, Process> c : compiling.entrySet()) {
                awaitCompiled(dir, c.getKey(), c.getValue());
            }
            return new HostilePrograms(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the hostile programs in " + dir, e);
        }
    }

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = HostilePrograms.class.getClassLoader().getResourceAsStream(RESOURCES + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + RESOURCES + resource);
            }
            Files.copy(in, to);
        }
    }

    private static Process gcc(Path dir, String source) throws IOException {
        return new ProcessBuilder("gcc", "-O1", "-Wall", "-Wextra", "-Werror", "-o", binary(source), source, "-lpthread")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log(dir, source).toFile()).start();
    }

    private static String binary(String source) {
        return source.substring(0, source.length() - 2);
    }

    private static Path log(Path dir, String source) {
        return dir.resolve(binary(source) + ".gcc.log");
    }

    private static void awaitCompiled(Path dir, String source, Process gcc) throws IOException {
        try {
            if (!gcc.waitFor(COMPILE_SECONDS, TimeUnit.SECONDS)) {
                gcc.destroyForcibly();
                throw new IllegalStateException("gcc did not finish " + source + " in " + COMPILE_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            gcc.destroyForcibly();
            throw new IllegalStateException("interrupted while compiling " + source, e);
        }
        if (gcc.exitValue() != 0) {
            throw new IllegalStateException("gcc failed on " + source + ":\n" + Files.readString(log(dir, source), StandardCharsets.UTF_8));
        }
        Files.delete(log(dir, source));
    }

    /** The host path of a staged program (a binary's name has no {@code .c}). */
    Path host(String name) {
        Path p = dir.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(name + " was not staged for this test class");
        }
        return p;
    }

    /** Where the sandbox sees it. */
    String inside(String name) {
        host(name);
        return MOUNT + "/" + name;
    }

    Bind bind() {
        return new Bind(dir, MOUNT, true);
    }
}
