package org.sandboxrunner.tests.escape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sandboxrunner.core.run.Bind;

/**
 * Terminal and IPC escapes (issue 10): TIOCSTI into the caller's terminal, and channels between
 * sandboxes or between a sandbox and the host that need no shared writable file.
 */
class TerminalAndIpcEscapeTest {
    @RegisterExtension
    static final EscapeLab lab = EscapeLab.with("ipc_tiocsti.c", "ipc_channel.c");

    /**
     * CVE-2017-5226: the sandbox's stdin is the caller's terminal, which is the controlling terminal of
     * the caller's session (a {@code setsid --ctty} session of the test stands for the user's shell).
     * Nothing may reach the terminal's input queue. Outside, root pushes the text into it.
     */
    @EveryProfile
    void tiocstiCannotTypeIntoTheCallersTerminal(String profile) throws IOException {
        String text = "echo " + lab.newMarker() + "\n";
        try (Pty pty = Pty.open()) {
            Process session = new ProcessBuilder("setsid", "--ctty", "sleep", "600")
                    .redirectInput(pty.slave().toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                awaitControllingTerminal(session);
                lab.inside(profile).stdin(pty.slave()).run("ipc_tiocsti", text).assertBlocked();
                assertEquals("", pty.pendingInput(), "ESCAPE: the sandbox typed into the caller's terminal");

                lab.outside().stdin(pty.slave()).run("ipc_tiocsti", text).assertWorked();
                assertEquals(text, pty.pendingInput(), "outside, the text should wait in the terminal's input");
            } finally {
                session.destroyForcibly();
            }
        }
    }

    /** setsid(1) makes the terminal its session's only after it started: wait for that. */
    private static void awaitControllingTerminal(Process session) throws IOException {
        Path stat = Path.of("/proc", Long.toString(session.pid()), "stat");
        for (int i = 0; i < 1000; i++) {
            String s = Files.exists(stat) ? Files.readString(stat) : "";
            String[] f = s.isEmpty() ? new String[0] : s.substring(s.lastIndexOf(')') + 2).split(" ");
            // fields after the name: state ppid pgrp session tty_nr ...; a session leader with a tty
            if (f.length > 4 && f[3].equals(Long.toString(session.pid())) && !f[4].equals("0")) {
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError("setsid --ctty did not take the terminal");
    }

    static Stream<Arguments> profilesAndKinds() {
        return ProfileCases.across("shm", "msg", "sem", "mqueue", "abstract", "flock", "posixlock", "ofdlock");
    }

    /**
     * SysV shared memory, message queues, semaphores, POSIX message queues, abstract unix sockets and
     * locks on a file every sandbox can read (/host/marker here, as /usr's files are for all): a
     * sandbox publishes and neither another sandbox nor the host finds it; the host publishes and no
     * sandbox finds it. Outside, a host seeker finds the host's publication.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("profilesAndKinds")
    void noChannelBetweenSandboxesOrToTheHost(String profile, String kind) throws Exception {
        String name = lab.newMarker();
        String hostLockFile = lab.witness().exposedDir().resolve("marker").toString();

        // The publisher's "ready" and "stop" files pass through a read-write bind: a work directory's
        // changes reach the host only when its run ends.
        Path box = lab.newDir("publisher");
        Files.setAttribute(box, "unix:uid", (int) lab.sandboxUid());
        CompletableFuture<Outcome> publisher = lab.inside(profile).bind(new Bind(box, "/sync", false))
                .startCommand(List.of("/bin/sh", "-c", "cd /sync && exec \"$0\" \"$@\"", lab.programs().inside("ipc_channel"),
                        "publish", kind, name, "/host/marker"));
        try {
            EscapeLab.awaitFile(box.resolve("ready"), publisher);
            lab.inside(profile).run("ipc_channel", "seek", kind, name, "/host/marker").assertBlocked();
            lab.outside().run("ipc_channel", "seek", kind, name, hostLockFile).assertBlocked();
        } finally {
            Files.writeString(box.resolve("stop"), "");
            EscapeLab.join(publisher);
        }

        Path dir = lab.newDir("host-publisher");
        Process hostPublisher = lab.outside().start(List.of(lab.programs().host("ipc_channel").toString(), "publish", kind, name,
                hostLockFile), dir);
        try {
            EscapeLab.awaitFile(dir.resolve("ready"), hostPublisher.onExit());
            lab.inside(profile).run("ipc_channel", "seek", kind, name, "/host/marker").assertBlocked();
            lab.outside().run("ipc_channel", "seek", kind, name, hostLockFile).assertWorked();
        } finally {
            // The publisher removes its SysV objects and message queue itself once told to stop.
            Files.writeString(dir.resolve("stop"), "");
            assertTrue(hostPublisher.waitFor(10, TimeUnit.SECONDS), "the host publisher did not stop");
        }
    }
}
