package org.sandboxrunner.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.core.cli.Main;

/**
 * bin/sandbox's class-data-sharing archive (docs/performance.md, "The cold CLI"): made by a training
 * run when missing or older than the jar, used when present, and never in the way: a broken archive,
 * or one that no longer matches the jar, makes the JVM run without it and print nothing. Runs a copy
 * of bin/sandbox over a runner laid out as the build lays it out (the jar, the helper, lib/), made
 * from the classes these tests run on, so no nested build happens.
 */
class CliClassDataSharingTest {
    @TempDir
    Path top;

    @Test
    void theArchiveIsMadeUsedAndNeverInTheWay() throws Exception {
        Path target = layOutRunner();
        Path archive = target.resolve("sandbox.jsa");

        assertRunsCleanly("missing archive");
        assertTrue(Files.size(archive) > 0, "the training run made " + archive);

        FileTime made = Files.getLastModifiedTime(archive);
        assertRunsCleanly("archive in use");
        assertEquals(made, Files.getLastModifiedTime(archive), "a fresh archive is kept");

        archive.toFile().setWritable(true);
        Files.writeString(archive, "not an archive");
        assertRunsCleanly("broken archive");

        // A jar that changed behind an archive that still looks newer: the JVM's own check refuses it.
        try (OutputStream out = Files.newOutputStream(target.resolve("lib/extra.jar"));
             JarOutputStream jar = new JarOutputStream(out)) {
            jar.putNextEntry(new JarEntry("extra.txt"));
        }
        Files.setLastModifiedTime(target.resolve("sandbox-core.jar"), FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Files.delete(archive);
        assertRunsCleanly("archive remade");
        Files.setLastModifiedTime(target.resolve("sandbox-core.jar"), FileTime.fromMillis(System.currentTimeMillis() - 30_000));
        Files.delete(target.resolve("lib/extra.jar"));
        assertRunsCleanly("classpath changed behind the archive");

        Files.setLastModifiedTime(target.resolve("sandbox-core.jar"), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        FileTime before = Files.getLastModifiedTime(archive);
        assertRunsCleanly("stale archive");
        assertTrue(Files.getLastModifiedTime(archive).compareTo(before) > 0, "an archive older than the jar is made again");
    }

    /** bin/sandbox run -- /bin/echo hi: exit status 0, "hi" on stdout, nothing on stderr. */
    private void assertRunsCleanly(String when) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(top.resolve("bin/sandbox").toString(), "run", "--", "/bin/echo", "hi")
                .redirectOutput(top.resolve("out").toFile()).redirectError(top.resolve("err").toFile());
        pb.environment().remove("SANDBOX_CLASSPATH");
        Process p = pb.start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), when + ": bin/sandbox did not end");
        String err = Files.readString(top.resolve("err"));
        assertEquals(0, p.exitValue(), when + ": " + err);
        assertEquals("hi\n", Files.readString(top.resolve("out")), when);
        assertEquals("", err, when);
    }

    /** top/bin/{sandbox, jvm.options}, top/sandbox-core/target/{sandbox-core.jar, sandbox-helper, lib/*.jar}. */
    private Path layOutRunner() throws Exception {
        Path repo = Path.of("").toAbsolutePath().getParent();
        Files.createDirectories(top.resolve("bin"));
        Files.copy(repo.resolve("bin/sandbox"), top.resolve("bin/sandbox"));
        Files.copy(repo.resolve("bin/jvm.options"), top.resolve("bin/jvm.options"));
        Path target = Files.createDirectories(top.resolve("sandbox-core/target/lib"));
        target = target.getParent();
        Path coreClasses = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Files.copy(coreClasses.getParent().resolve("sandbox-helper"), target.resolve("sandbox-helper"));
        Path tests = Path.of(CliClassDataSharingTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(":")) {
            Path path = Path.of(entry);
            if (path.equals(coreClasses) && Files.isRegularFile(path)) {
                // A reactor build past `package` (CI's `verify`) hands the tests the packaged jar.
                Files.copy(path, target.resolve("sandbox-core.jar"));
            } else if (path.equals(coreClasses)) {
                jar(path, target.resolve("sandbox-core.jar"));
            } else if (Files.isDirectory(path) && !path.equals(tests)) {
                jar(path, target.resolve("lib/classes" + n++ + ".jar"));
            } else if (entry.endsWith(".jar")) {
                Files.createSymbolicLink(target.resolve("lib/" + path.getFileName()), path);
            }
        }
        // The layout is newer than any source bin/sandbox could find under top: no build.
        assertEquals(List.of(), listSources(top));
        return target;
    }

    private static List<Path> listSources(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".c")).toList();
        }
    }

    private static void jar(Path classes, Path jarFile) throws IOException {
        try (OutputStream out = Files.newOutputStream(jarFile); JarOutputStream jar = new JarOutputStream(out);
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                jar.putNextEntry(new JarEntry(classes.relativize(file).toString()));
                jar.write(Files.readAllBytes(file));
                jar.closeEntry();
            }
        }
    }
}
