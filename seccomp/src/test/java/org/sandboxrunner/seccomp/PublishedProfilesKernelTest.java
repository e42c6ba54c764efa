package org.sandboxrunner.seccomp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Docker's and Podman's published profiles, evaluated for an empty bounding set on this kernel and
 * architecture, compiled, and loaded by the kernel around real programs: Python and a JVM run, and
 * what the profiles deny stays denied.
 */
class PublishedProfilesKernelTest {
    private static final String JAVA = "/usr/lib/jvm/java-17-openjdk-amd64/bin/java";

    private static CompiledFilter compile(String profile) {
        SeccompCompiler compiler = SeccompCompiler.create();
        Path file = profile.equals("docker") ? PublishedProfiles.docker() : PublishedProfiles.podman();
        return compiler.compile(DockerProfileImporter.importProfile(file, Set.of(), KernelVersion.running(),
                compiler.nativeArchitecture().ociName()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void pythonRuns(String profile) {
        TestPrograms.Result result = TestPrograms.underFilter(compile(profile),
                List.of(PythonSeccompReference.PYTHON, "-c", "print(1)"));
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("1\n", result.stdout());
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void aJvmRuns(String profile) {
        TestPrograms.Result result = TestPrograms.underFilter(compile(profile), List.of(JAVA, "-version"));
        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.stderr().contains("openjdk version \"17"), result.stderr());
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void chrootStaysDeniedWithoutCapSysChroot(String profile) {
        TestPrograms.Result result = TestPrograms.underFilter(compile(profile), List.of("/usr/sbin/chroot", "/", "/bin/true"));
        assertEquals(125, result.exitCode(), result.stdout() + result.stderr());
        assertTrue(result.stderr().contains("Operation not permitted"), result.stderr());
    }

    /** Podman's default allows unshare (rootless Podman nests user namespaces); Docker's does not without CAP_SYS_ADMIN. */
    @Test
    void dockerDeniesNamespaceCreation() {
        TestPrograms.Result result = TestPrograms.underFilter(compile("docker"), List.of("/usr/bin/unshare", "--user", "/bin/true"));
        assertEquals(1, result.exitCode(), result.stdout() + result.stderr());
        assertTrue(result.stderr().contains("Operation not permitted"), result.stderr());
    }
}
