package org.sandboxrunner.tests.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.core.run.Bind;
import org.sandboxrunner.core.run.ResolvedProfile;
import org.sandboxrunner.core.run.RunRequest;
import org.sandboxrunner.core.run.RunResult;
import org.sandboxrunner.core.run.Status;
import org.sandboxrunner.tests.SandboxFixture;

/**
 * A capability a profile grants works inside and only inside: it belongs to the sandbox's user
 * namespace, so it acts on the sandbox's own network namespace and on files of ids mapped into it.
 * Each grant is checked against the same program without it.
 */
class GrantedCapabilityTest {
    /** The worked example of docs/capabilities.md, as written there. */
    private static final String BIND_PROFILE = """
            apiVersion: sandbox-runner/v1
            name: web-80
            extends: default
            loosen: true                   # grants a capability default does not
            process:
              user: {uid: 1000, gid: 1000}
              capabilities:
                bounding:    [CAP_NET_BIND_SERVICE]
                permitted:   [CAP_NET_BIND_SERVICE]
                effective:   [CAP_NET_BIND_SERVICE]
                inheritable: [CAP_NET_BIND_SERVICE]
                ambient:     [CAP_NET_BIND_SERVICE]
              securebits: [noroot, noroot_locked]
            """;

    /**
     * Binds 127.0.0.1:80 and listens; says so in /sync/listening (with its network namespace) and
     * waits for /sync/go, so the test can look at the host while the port is held. /sync is a
     * read-write bind: a work directory's changes reach the host only when the run ends.
     */
    private static final String LISTEN = """
            import errno, os, socket, time
            s = socket.socket()
            try:
                s.bind(("127.0.0.1", 80))
            except OSError as e:
                print("bind", errno.errorcode[e.errno])
                raise SystemExit(0)
            s.listen()
            with open("/sync/listening.tmp", "w") as f:
                f.write(os.readlink("/proc/self/ns/net"))
            os.rename("/sync/listening.tmp", "/sync/listening")
            deadline = time.monotonic() + 30
            while not os.path.exists("/sync/go") and time.monotonic() < deadline:
                time.sleep(0.01)
            print("bind ok")
            """;

    private static final SandboxFixture fx = SharedSandbox.FX;

    @TempDir
    Path workdir;

    @Test
    void netBindServiceBindsPort80InsideOnly() throws Exception {
        Set<String> hostBefore = hostListenersOnPort80();
        Files.setAttribute(workdir, "unix:uid", 101000); // the sandbox's uid 1000 on the host (default's mapping)
        ResolvedProfile granted = SandboxFixture.yaml("web-80", BIND_PROFILE);
        CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(
                () -> fx.run(RunRequest.of(granted, List.of("python3", "-c", LISTEN)).withBinds(List.of(new Bind(workdir, "/sync", false)))));
        Path listening = workdir.resolve("listening");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(listening) && !run.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(Files.exists(listening), "the workload never listened: " + (run.isDone() ? describe(run.get()) : "timeout"));
        // While the sandbox holds port 80, the host's network namespace has no new listener on it.
        assertEquals(hostBefore, hostListenersOnPort80(), "port 80 on the host changed while the sandbox listened");
        assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString(), Files.readString(listening),
                "the workload listened in the host's network namespace");
        Files.writeString(workdir.resolve("go"), "");
        RunResult r = run.get(60, TimeUnit.SECONDS);
        assertEquals(Status.OK, r.status(), describe(r));
        assertEquals("bind ok\n", SandboxFixture.out(r), describe(r));
        assertEquals(hostBefore, hostListenersOnPort80(), "port 80 on the host changed after the run");

        // The same program without the grant.
        RunResult denied = fx.run(RunRequest.of(SandboxFixture.builtin("default"), List.of("python3", "-c", LISTEN)));
        assertEquals("bind EACCES\n", SandboxFixture.out(denied), describe(denied));
    }

    @Test
    void chownInsideTheBoxGivesMappedHostIdsNeverRoot() throws Exception {
        String script = """
                touch /box/f /box/g
                chown 2000:3000 /box/f && echo f-chowned
                chown 0:0 /box/g && echo g-chowned
                chown 70000 /box/f 2>/dev/null || echo unmapped-refused
                stat -c '%n %u %g' /box/f /box/g
                """;
        ResolvedProfile granted = SandboxFixture.yaml("chown", """
                apiVersion: sandbox-runner/v1
                extends: default
                loosen: true
                process:
                  capabilities:
                    bounding: [CAP_CHOWN]
                    permitted: [CAP_CHOWN]
                    effective: [CAP_CHOWN]
                    inheritable: [CAP_CHOWN]
                    ambient: [CAP_CHOWN]
                """);
        RunResult r = fx.run(SandboxFixture.sh(granted, script).withWorkdir(workdir));
        assertEquals(Status.OK, r.status(), describe(r));
        assertEquals("f-chowned\ng-chowned\nunmapped-refused\n/box/f 2000 3000\n/box/g 0 0\n", SandboxFixture.out(r), describe(r));
        // default maps container ids 0-65535 to host ids 100000-165535.
        assertEquals(List.of(102000, 103000), hostOwner(workdir.resolve("f")));
        assertEquals(List.of(100000, 100000), hostOwner(workdir.resolve("g")), "the sandbox's root is not the host's");

        Path other = Files.createDirectory(workdir.resolve("without"));
        RunResult denied = fx.run(SandboxFixture.sh(SandboxFixture.builtin("default"), script).withWorkdir(other));
        assertEquals("unmapped-refused\n/box/f 1000 1000\n/box/g 1000 1000\n", SandboxFixture.out(denied), describe(denied));
        assertEquals(List.of(101000, 101000), hostOwner(other.resolve("f")));
    }

    private static List<Integer> hostOwner(Path file) throws IOException {
        return List.of((Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS),
                (Integer) Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS));
    }

    /**
     * The host's listening TCP sockets on port 80 (/proc/net/tcp and tcp6 of this JVM's network
     * namespace, state 0A), as "file local-address inode".
     */
    private static Set<String> hostListenersOnPort80() throws IOException {
        Set<String> found = new HashSet<>();
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(file));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f[1].endsWith(":0050") && f[3].equals("0A")) {
                    found.add(file + " " + f[1] + " " + f[9]);
                }
            }
        }
        return found;
    }

    private static String describe(RunResult r) {
        return r.status() + " " + r.message() + "\nstdout:\n" + SandboxFixture.out(r) + "stderr:\n" + SandboxFixture.err(r);
    }
}
