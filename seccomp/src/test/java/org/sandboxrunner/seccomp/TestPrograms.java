package org.sandboxrunner.seccomp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The C programs under src/test/c, compiled with gcc into one temporary directory per test JVM (deleted
 * at exit), and a way to run programs and collect their output.
 */
final class TestPrograms {
    private static final Path SOURCES = Path.of(System.getProperty("basedir", ".")).resolve("src/test/c");
    private static final Map<String, Path> BUILT = new HashMap<>();
    private static Path dir;

    private TestPrograms() {}

    /** The compiled program, built on first use with the hardening flags the native stage uses. */
    static synchronized Path program(String name, String... extraFlags) {
        String key = name + String.join(" ", extraFlags);
        Path built = BUILT.get(key);
        if (built == null) {
            built = tempDir().resolve(name + (extraFlags.length == 0 ? "" : "-" + BUILT.size()));
            List<String> gcc = new ArrayList<>(List.of("gcc", "-O2", "-Wall", "-Wextra", "-Werror"));
            gcc.addAll(List.of(extraFlags));
            gcc.addAll(List.of("-o", built.toString(), SOURCES.resolve(name + ".c").toString()));
            Result result = run(gcc, Duration.ofSeconds(60));
            if (result.exitCode() != 0) {
                throw new IllegalStateException("gcc failed for " + name + ".c: " + result.stderr());
            }
            BUILT.put(key, built);
        }
        return built;
    }

    /** A file in this JVM's temporary directory. */
    static synchronized Path tempFile(String prefix, byte[] content) {
        try {
            Path file = Files.createTempFile(tempDir(), prefix, ".bin");
            Files.write(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("seccomp-test-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path toDelete = dir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(toDelete)));
        }
        return dir;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort at JVM exit; the directory is under java.io.tmpdir.
        }
    }

    /**
     * Runs a command under a compiled filter through src/test/c/seccomp_exec.c, the test's stand-in for
     * the native stage's last steps (no_new_privs, seccomp(SECCOMP_SET_MODE_FILTER, loadFlags), execve).
     */
    static Result underFilter(CompiledFilter filter, List<String> command) {
        List<String> full = new ArrayList<>(List.of(program("seccomp_exec").toString(),
                tempFile("filter", filter.bytes()).toString(), Integer.toString(filter.loadFlags())));
        full.addAll(command);
        return run(full, Duration.ofSeconds(60));
    }

    record Result(int exitCode, String stdout, String stderr) {
        /** Java reports a process killed by signal N as exit code 128 + N. */
        boolean killedBy(int signal) {
            return exitCode == 128 + signal;
        }
    }

    static Result run(List<String> command, Duration timeout) {
        try {
            Path out = Files.createTempFile("seccomp-test-out", ".txt");
            Path err = Files.createTempFile("seccomp-test-err", ".txt");
            try {
                Process process = new ProcessBuilder(command)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new IllegalStateException("timed out after " + timeout + ": " + command);
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
