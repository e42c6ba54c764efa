package org.sandboxrunner.seccomp;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelVersionTest {
    private static final Path FIXTURES = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/proc-fixtures");

    @Test
    void parsesReleasesAsDockerComparesThem() {
        assertEquals(new KernelVersion(6, 18), KernelVersion.parse("6.18.44-fc-v782"));
        assertEquals(new KernelVersion(3, 12), KernelVersion.parse("3.12-1-amd64\n"));
        assertEquals(new KernelVersion(5, 4), KernelVersion.parse("5.4"));
        assertEquals(new KernelVersion(4, 19), KernelVersion.parse("4.19+"));
        assertEquals("kernel release 'linux' does not start with <version>.<major>",
                assertThrows(SeccompException.class, () -> KernelVersion.parse("linux")).getMessage());
        assertThrows(SeccompException.class, () -> KernelVersion.parse("6"));
        assertThrows(SeccompException.class, () -> KernelVersion.parse("6.x"));
    }

    @Test
    void comparesVersionThenMajorRevision() {
        assertTrue(new KernelVersion(4, 8).compareTo(new KernelVersion(4, 10)) < 0);
        assertTrue(new KernelVersion(5, 0).compareTo(new KernelVersion(4, 19)) > 0);
        assertEquals(0, KernelVersion.parse("3.12.25-gentoo").compareTo(KernelVersion.parse("3.12-1-amd64")));
        assertEquals("6.1", new KernelVersion(6, 1).toString());
    }

    @Test
    void readsOsreleaseUnderAProcRoot() {
        assertEquals(new KernelVersion(6, 1), KernelVersion.read(FIXTURES.resolve("debian-6.1")));
        assertEquals(new KernelVersion(3, 12), KernelVersion.read(FIXTURES.resolve("gentoo-3.12")));
        assertThrows(java.io.UncheckedIOException.class, () -> KernelVersion.read(FIXTURES.resolve("absent")));
        KernelVersion running = KernelVersion.running();
        assertTrue(running.major() >= 3, running.toString());
    }
}
