package org.sandboxrunner.tests.grading;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.sandboxrunner.core.run.Bind;

/**
 * The verdict programs (resources/verdict: verdicts.c, verdicts.py, Verdicts.java) staged in a host
 * directory, the C one compiled with the host's gcc and the Java one with this JDK's javac; the
 * sandbox sees the directory read-only at {@link #MOUNT}.
 */
final class VerdictPrograms {
    static final String MOUNT = "/verdict";
    private static final List<String> FILES = List.of("verdicts.c", "verdicts.py", "Verdicts.java");
    private static final long BUILD_SECONDS = 120;

    private final Path dir;

    private VerdictPrograms(Path dir) {
        this.dir = dir;
    }

    static VerdictPrograms stage(Path dir) {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (String name : FILES) {
                try (InputStream in = VerdictPrograms.class.getClassLoader().getResourceAsStream("verdict/" + name)) {
                    if (in == null) {
                        throw new IllegalStateException("no resource verdict/" + name);
                    }
                    Files.copy(in, dir.resolve(name));
                }
            }
            build(dir, "gcc", "-O1", "-Wall", "-Wextra", "-Werror", "-o", "verdicts", "verdicts.c", "-lpthread");
            build(dir, jdk().resolve("bin/javac").toString(), "-d", ".", "Verdicts.java");
            return new VerdictPrograms(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the verdict programs in " + dir, e);
        }
    }

    private static void build(Path dir, String... command) throws IOException {
        Path log = dir.resolve("build.log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(BUILD_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command[0] + " did not finish in " + BUILD_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted while running " + command[0], e);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        Files.delete(log);
    }

    private static Path jdk() {
        return Path.of(System.getProperty("java.home"));
    }

    /** The command that runs the program of this language (c, python, java), before its mode. */
    List<String> command(String language) {
        return switch (language) {
            case "c" -> List.of(MOUNT + "/verdicts");
            case "python" -> List.of("python3", MOUNT + "/verdicts.py");
            case "java" -> List.of(jdk().resolve("bin/java").toString(), "-cp", MOUNT, "Verdicts");
            default -> throw new IllegalArgumentException("no verdict program in " + language);
        };
    }

    /** The built-in profile a grader would use for the language. */
    String profile(String language) {
        return "c".equals(language) ? "grader-c" : "grader-" + language;
    }

    Bind bind() {
        return new Bind(dir, MOUNT, true);
    }
}
