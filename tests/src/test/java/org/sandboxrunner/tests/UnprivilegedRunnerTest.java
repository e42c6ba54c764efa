package org.sandboxrunner.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sandboxrunner.core.launch.HelperBinary;

/**
 * The runner started by a user that is not root (issue 5): user_namespaces(7) lets it map only its
 * own uid and gid, once. A profile asking for more is refused with a message that says so, unless
 * the profile allows the {@code id-mapping} degradation, which the audit log then records.
 *
 * <p>The runner's JVM runs as {@code nobody} (setpriv(1)) from a copy of this test's class path in a
 * world-readable temporary directory, because the build's own files (the Maven repository under
 * root's home) need not be readable by that user.
 */
class UnprivilegedRunnerTest {
    private static final long NOBODY = 65534;
    private static Path dir;
    private static List<String> runner;

    @BeforeAll
    static void copyTheRunner() throws IOException {
        dir = Files.createTempDirectory("sandbox-unprivileged-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.exists(source)) {
                continue;
            }
            Path copy = dir.resolve("cp" + i++ + (Files.isDirectory(source) ? "" : ".jar"));
            copyTree(source, copy);
            entries.add(copy.toString());
        }
        Path helper = dir.resolve(HelperBinary.FILE_NAME);
        Files.copy(HelperBinary.verified(), helper);
        Path home = Files.createDirectory(dir.resolve("home"));
        chown(home);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        runner = List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                "env", "-i", "PATH=/usr/bin:/bin", "HOME=" + home, "XDG_RUNTIME_DIR=" + home,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + HelperBinary.PROPERTY + "=" + helper, "-Djna.tmpdir=" + home,
                "-cp", String.join(java.io.File.pathSeparator, entries), "org.sandboxrunner.core.cli.Main");
    }

    @AfterAll
    static void removeTheCopy() throws IOException {
        if (dir != null) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void mappingsAnUnprivilegedRunnerCannotWriteAreRefused() throws Exception {
        Path profile = profile("degrade: [cgroups]\n");
        Ran r = sandbox(List.of("run", "--profile", profile.toString(), "--", "/bin/true"), "");
        assertEquals(125, r.code, r.err);
        assertTrue(r.err.contains("linux.uidMappings: container 0-65535 -> host 100000-165535 asks for more than a "
                + "runner that is not root can map"), r.err);
        assertTrue(r.err.contains("add 'id-mapping' to the profile's degrade list"), r.err);
    }

    @Test
    void theIdMappingDegradationMapsTheWorkloadOntoTheRunnerAndIsAudited() throws Exception {
        Path profile = profile("degrade: [cgroups, id-mapping]\n");
        Path audit = dir.resolve("home/audit.jsonl");
        Ran r = sandbox(List.of("run", "--profile", profile.toString(), "--audit", audit.toString(), "--",
                "/bin/sh", "-c", "id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map; grep CapEff /proc/self/status"),
                "");
        assertEquals(0, r.code, r.err);
        // The host side of the map is nobody: the runner really was not root (root maps 1000 to 101000).
        List<String> lines = r.out.lines().map(String::strip).toList();
        assertEquals("1000", lines.get(0));
        assertEquals("1000", lines.get(1));
        assertEquals(List.of("1000", "65534", "1"), List.of(lines.get(2).split("\\s+")));
        assertEquals(List.of("1000", "65534", "1"), List.of(lines.get(3).split("\\s+")));
        assertEquals("CapEff:\t0000000000000000", r.out.lines().toList().get(4));
        String log = Files.readString(audit);
        assertTrue(log.contains("\"run.degraded\"") && log.contains("id-mapping"), log);
        assertTrue(log.contains("cgroups"), log);
    }

    @Test
    void aSelfMappingProfileNeedsNoDegradation() throws Exception {
        Path profile = profile("degrade: [cgroups]\nlinux:\n  uidMappings: [{containerID: 1000, hostID: 65534, size: 1}]\n"
                + "  gidMappings: [{containerID: 1000, hostID: 65534, size: 1}]\n");
        Ran r = sandbox(List.of("run", "--profile", profile.toString(), "--", "/bin/sh", "-c", "id -u"), "");
        assertEquals(0, r.code, r.err);
        assertEquals("1000\n", r.out);
    }

    private static Path profile(String rest) throws IOException {
        Path p = Files.createTempFile(dir, "profile-", ".yaml");
        Files.writeString(p, "apiVersion: sandbox-runner/v1\nname: unprivileged\nextends: default\n" + rest);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        return p;
    }

    private record Ran(int code, String out, String err) {}

    private static Ran sandbox(List<String> args, String stdin) throws Exception {
        List<String> command = new ArrayList<>(runner);
        command.addAll(args);
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        byte[][] err = new byte[1][];
        Thread drainErr = new Thread(() -> {
            try {
                err[0] = p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                err[0] = e.toString().getBytes(StandardCharsets.UTF_8);
            }
        });
        drainErr.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the unprivileged runner did not finish in 60 s");
        }
        drainErr.join();
        return new Ran(p.exitValue(), out, new String(err[0], StandardCharsets.UTF_8));
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path p : paths.toList()) {
                Path t = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    private static void chown(Path p) throws IOException {
        Files.setAttribute(p, "unix:uid", (int) NOBODY);
        Files.setAttribute(p, "unix:gid", (int) NOBODY);
    }
}
