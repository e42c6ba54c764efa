package org.sandboxrunner.core.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sandboxrunner.capabilities.KernelCapabilities;
import org.sandboxrunner.core.nativeio.Posix;
import org.sandboxrunner.policies.BuiltinProfiles;
import org.sandboxrunner.seccomp.ProgramCache;
import org.sandboxrunner.seccomp.SeccompCompiler;
import org.sandboxrunner.seccomp.SyscallNames;

/**
 * A profile compiles to the same thing whether its seccomp program came from the program cache or
 * from libseccomp: each part of {@link ProfileCompiler.Compiled} the native stage, the report and the
 * audit read is compared, for every built-in profile.
 */
class ProfileCompilerTest {
    private final SeccompCompiler seccomp = SeccompCompiler.create();
    private final SyscallNames names = SyscallNames.create();
    private final List<String> warnings = new ArrayList<>();
    private Path store;

    @BeforeEach
    void freshStore() throws IOException {
        // Under /run (root's, 0755), not the checkout: the program store refuses any below a
        // world-writable directory, and a clone may sit under /tmp.
        store = Files.createTempDirectory(Path.of("/run"), "profile-compiler-test");
    }

    @AfterEach
    void removeStore() throws IOException {
        try (Stream<Path> files = Files.walk(store)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** A new compiler, as in a new runner process: its in-memory cache is empty. */
    private ProfileCompiler compiler() throws IOException {
        return new ProfileCompiler(KernelCapabilities.read(), new ProgramCache(seccomp, store.resolve("programs"),
                Posix.uid(), warnings::add), names);
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "grader-c", "grader-python", "grader-java", "batch"})
    void aStoredProgramCompilesToWhatAFreshOneDoes(String name) throws Exception {
        assertTrue(BuiltinProfiles.names().contains(name));
        ResolvedProfile profile = Profiles.load(name);
        ProfileCompiler.Compiled fresh = compiler().compile(profile);
        try (Stream<Path> files = Files.list(store.resolve("programs"))) {
            assertEquals(fresh.seccomp().isPresent() ? 1 : 0, files.count(), "stored on the first compile");
        }
        ProfileCompiler.Compiled stored = compiler().compile(profile);
        assertEquals(fresh.capabilities(), stored.capabilities());
        assertBytes(fresh.seccomp(), stored.seccomp());
        assertEquals(fresh.seccompFlags(), stored.seccompFlags());
        assertEquals(fresh.skippedSyscalls(), stored.skippedSyscalls());
        assertBytes(fresh.notifyingCopy(), stored.notifyingCopy());
        assertEquals(fresh.reportOff(), stored.reportOff());
        for (Optional<String> off : List.of(Optional.<String>empty(), Optional.of("off"))) {
            ProfileCompiler.SeccompLoad a = fresh.load(off);
            ProfileCompiler.SeccompLoad b = stored.load(off);
            assertBytes(a.program(), b.program());
            assertEquals(a.flags(), b.flags());
            assertBytes(a.report(), b.report());
        }
        assertEquals(List.of(), warnings);
    }

    private static void assertBytes(Optional<byte[]> expected, Optional<byte[]> actual) {
        assertEquals(expected.isPresent(), actual.isPresent());
        expected.ifPresent(e -> assertArrayEquals(e, actual.get()));
    }
}
