package org.sandboxrunner.seccomp;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finding the file a library runs from in /proc/self/maps lines. */
class MappedLibraryTest {
    private static final String SONAME = "libseccomp.so.2";

    @Test
    void theVersionedFileTheSonameLeadsTo() {
        List<String> maps = List.of(
                "55d0c8a00000-55d0c8a01000 r--p 00000000 fe:01 1311      /usr/lib/jvm/java-17-openjdk-amd64/bin/java",
                "7f3a1c000000-7f3a1c021000 rw-p 00000000 00:00 0 ",
                "7f3a1d2e4000-7f3a1d2e7000 r--p 00000000 fe:01 26544     /usr/lib/x86_64-linux-gnu/libseccomp.so.2.5.4",
                "7f3a1d2e7000-7f3a1d2f6000 r-xp 00003000 fe:01 26544     /usr/lib/x86_64-linux-gnu/libseccomp.so.2.5.4",
                "7f3a1d400000-7f3a1d401000 r--p 00000000 fe:01 26600     /usr/lib/x86_64-linux-gnu/libseccomp.so.22",
                "7ffd5e1f0000-7ffd5e211000 rw-p 00000000 00:00 0         [stack]");
        assertEquals(Optional.of(Path.of("/usr/lib/x86_64-linux-gnu/libseccomp.so.2.5.4")), MappedLibrary.find(maps, SONAME));
    }

    @Test
    void noneOrTwoFilesAreNotAnAnswer() {
        assertEquals(Optional.empty(), MappedLibrary.find(List.of("7ffd5e1f0000-7ffd5e211000 rw-p 00000000 00:00 0 [stack]"), SONAME));
        assertEquals(Optional.empty(), MappedLibrary.find(List.of(
                "7f3a1d2e4000-7f3a1d2e7000 r--p 00000000 fe:01 26544 /usr/lib/x86_64-linux-gnu/libseccomp.so.2.5.4",
                "7f3a1d2e8000-7f3a1d2e9000 r--p 00000000 fe:01 26545 /opt/lib/libseccomp.so.2.5.5"), SONAME));
    }

    @Test
    void thisProcessRunsLibseccompFromAFile() {
        Path file = JnaLibSeccomp.load().file().orElseThrow();
        assertTrue(Files.isRegularFile(file), file.toString());
        assertTrue(file.getFileName().toString().startsWith(SONAME), file.toString());
    }
}
