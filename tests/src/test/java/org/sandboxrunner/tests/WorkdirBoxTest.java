package org.sandboxrunner.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sandboxrunner.tests.SandboxFixture.err;
import static org.sandboxrunner.tests.SandboxFixture.out;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.core.run.ResolvedProfile;
import org.sandboxrunner.core.run.RunResult;
import org.sandboxrunner.core.run.Status;

/**
 * A host work directory is the lower layer of an overlay whose upper layer is a tmpfs of the
 * profile's {@code tmpSize}; after the run the runner copies the changes back (issue 10). These tests
 * check what a grader relies on (the program's output file is in the work directory afterwards, with
 * changes and removals) and what the copy-back refuses to do (bring back links, FIFOs, follow a link
 * an earlier run planted).
 */
class WorkdirBoxTest {
    private static final SandboxFixture fx = new SandboxFixture();
    private static final ResolvedProfile DEFAULT = SandboxFixture.builtin("default");
    private static final long SANDBOX_HOST_UID = 101000; // default maps uid 1000 at 100000 + 1000

    @TempDir
    Path work;

    @TempDir
    Path outside;

    @AfterAll
    static void close() {
        fx.close();
    }

    @Test
    void aGradersOutputAndEveryChangeComeBackToTheWorkdir() throws IOException {
        Files.writeString(work.resolve("input.txt"), "42\n");
        Files.writeString(work.resolve("keep.txt"), "old\n");
        Files.writeString(work.resolve("gone.txt"), "x\n");
        Files.createDirectories(work.resolve("sub"));
        Files.writeString(work.resolve("sub/old.txt"), "old\n");
        for (String f : List.of("keep.txt", "gone.txt", "sub", "sub/old.txt")) {
            Files.setAttribute(work.resolve(f), "unix:uid", (int) SANDBOX_HOST_UID, LinkOption.NOFOLLOW_LINKS);
        }
        Files.setAttribute(work, "unix:uid", (int) SANDBOX_HOST_UID, LinkOption.NOFOLLOW_LINKS);
        RunResult r = fx.run(SandboxFixture.sh(DEFAULT, String.join("\n",
                "set -e",
                "cd /box",
                "sed s/42/answer/ input.txt > out.txt",
                "echo new >> keep.txt",
                "rm gone.txt",
                "rm -r sub && mkdir sub && echo fresh > sub/new.txt", // an opaque directory
                "mkdir -p deep/er && echo leaf > deep/er/f",
                "ln -s /etc/passwd link",
                "mkfifo fifo")).withWorkdir(work));
        assertEquals(Status.OK, r.status(), r.message() + "\n" + err(r) + out(r));

        assertEquals("answer\n", Files.readString(work.resolve("out.txt")));
        assertEquals(SANDBOX_HOST_UID, (int) Files.getAttribute(work.resolve("out.txt"), "unix:uid", LinkOption.NOFOLLOW_LINKS),
                "a file of the run belongs to the sandbox's host uid");
        assertEquals("old\nnew\n", Files.readString(work.resolve("keep.txt")));
        assertFalse(Files.exists(work.resolve("gone.txt"), LinkOption.NOFOLLOW_LINKS), "a removed file stays removed");
        assertEquals(List.of("new.txt"), names(work.resolve("sub")), "a directory removed and made again holds only its new content");
        assertEquals("leaf\n", Files.readString(work.resolve("deep/er/f")));
        assertFalse(Files.exists(work.resolve("link"), LinkOption.NOFOLLOW_LINKS), "a symbolic link is not brought back");
        assertFalse(Files.exists(work.resolve("fifo"), LinkOption.NOFOLLOW_LINKS), "a FIFO is not brought back");
    }

    /**
     * An earlier run (or anyone) left {@code escape -> OUTSIDE} in the work directory; this run
     * replaces it with a directory holding a file. Copying back must replace the link, not write
     * through it.
     */
    @Test
    void aPlantedSymlinkIsReplacedNotFollowed() throws IOException {
        Files.createSymbolicLink(work.resolve("escape"), outside);
        Files.setAttribute(work, "unix:uid", (int) SANDBOX_HOST_UID, LinkOption.NOFOLLOW_LINKS);
        RunResult r = fx.run(SandboxFixture.sh(DEFAULT, "rm /box/escape && mkdir /box/escape && echo pwned > /box/escape/file")
                .withWorkdir(work));
        assertEquals(Status.OK, r.status(), r.message() + "\n" + err(r));
        assertEquals(List.of(), names(outside), "nothing was written through the link");
        assertTrue(Files.isDirectory(work.resolve("escape"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("pwned\n", Files.readString(work.resolve("escape/file")));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
