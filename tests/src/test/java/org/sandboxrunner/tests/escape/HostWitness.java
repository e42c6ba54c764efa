package org.sandboxrunner.tests.escape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.sandboxrunner.core.run.Bind;

/**
 * What the escape tests watch on the host, to prove it unchanged after every attempt:
 * <ul>
 * <li>a canary: {@code sh -c 'sleep 600; exit 0' CANARY} and its {@code sleep}, which must stay alive;</li>
 * <li>a hidden witness file in a host directory that is not in the sandbox's view (under /var/tmp):
 * a program that can open it has reached the host's filesystem;</li>
 * <li>an exposed directory the sandbox sees read-only at {@code /host}: {@code marker} belongs to the
 * sandbox's own host uid (only the read-only mount keeps it from writing), {@code secret} to the host's
 * root and {@code other} to another sandbox user, both mode 0600; none may change;</li>
 * <li>TCP listeners on 127.0.0.1 and [::1] and a UDP socket on 127.0.0.1, which must receive nothing.</li>
 * </ul>
 */
final class HostWitness implements AutoCloseable {
    /** The container uid of "another sandbox user" in the default id mapping. */
    static final long OTHER_CONTAINER_UID = 500;
    private static final long RESPONSE_MS = 100;

    private final String id = UUID.randomUUID().toString().substring(0, 12);
    private final Path hiddenDir;
    private final Path hidden;
    private final Path exposed;
    private final Process canary;
    private final ProcessHandle canarySleep;
    private final LoopbackListener tcp4;
    private final Optional<LoopbackListener> tcp6;
    private final DatagramSocket udp4;
    private final AtomicInteger datagrams = new AtomicInteger();
    private final Map<String, String> exposedState;
    private final String hiddenState;

    private HostWitness(Path base, long sandboxUid, long sandboxGid, long otherUid) throws IOException {
        hiddenDir = Files.createDirectories(Path.of("/var/tmp", "sandbox-escape-" + id));
        hidden = hiddenDir.resolve("witness");
        Files.writeString(hidden, "witness-" + id + "\n");
        Files.setPosixFilePermissions(hiddenDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(hidden, PosixFilePermissions.fromString("rw-r--r--"));

        exposed = Files.createDirectories(base.resolve("exposed"));
        writeOwned(exposed.resolve("marker"), "marker-" + id + "\n", sandboxUid, sandboxGid, "rw-r--r--");
        writeOwned(exposed.resolve("secret"), "secret-" + id + "\n", 0, 0, "rw-------");
        writeOwned(exposed.resolve("other"), "other-" + id + "\n", otherUid, otherUid, "rw-------");
        Files.setPosixFilePermissions(exposed, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setAttribute(exposed, "unix:uid", (int) sandboxUid);
        Files.setAttribute(exposed, "unix:gid", (int) sandboxGid);

        canary = new ProcessBuilder("/bin/sh", "-c", "sleep 600; exit 0", canaryMarker())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        canarySleep = waitForChild(canary);

        tcp4 = LoopbackListener.on("127.0.0.1").orElseThrow(() -> new IllegalStateException("no 127.0.0.1 on this host"));
        tcp6 = LoopbackListener.on("::1");
        udp4 = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        countDatagrams();

        exposedState = snapshot(exposed);
        hiddenState = describe(hidden);
    }

    static HostWitness create(Path base, long sandboxUid, long sandboxGid, long otherUid) {
        try {
            return new HostWitness(base, sandboxUid, sandboxGid, otherUid);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the host witness", e);
        }
    }

    private static void writeOwned(Path p, String text, long uid, long gid, String mode) throws IOException {
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        Files.setAttribute(p, "unix:uid", (int) uid);
        Files.setAttribute(p, "unix:gid", (int) gid);
    }

    private static ProcessHandle waitForChild(Process parent) {
        for (int i = 0; i < 500; i++) {
            Optional<ProcessHandle> child = parent.children().findFirst();
            if (child.isPresent()) {
                return child.get();
            }
            sleep(10);
        }
        throw new IllegalStateException("the canary's sleep did not start");
    }

    private void countDatagrams() {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[2048];
            while (!udp4.isClosed()) {
                try {
                    udp4.receive(new DatagramPacket(buf, buf.length));
                    datagrams.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        }, "witness-udp");
        t.setDaemon(true);
        t.start();
    }

    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> state = new TreeMap<>();
        state.put(".", describe(dir));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                state.put(p.getFileName().toString(), describe(p));
            }
        }
        return state;
    }

    /** Owner, mode, size, modification time and content: any change to any of them shows. */
    private static String describe(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:uid,gid,mode,size,lastModifiedTime,ino", LinkOption.NOFOLLOW_LINKS);
        String content = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        return a.get("uid") + ":" + a.get("gid") + " " + Integer.toOctalString((int) a.get("mode")) + " " + a.get("size")
                + " " + a.get("lastModifiedTime") + " ino " + a.get("ino") + " " + content.strip();
    }

    String canaryMarker() {
        return "sandbox-canary-" + id;
    }

    long canaryPid() {
        return canary.pid();
    }

    long canarySleepPid() {
        return canarySleep.pid();
    }

    /** The host path of a file that only the host can see. */
    Path hidden() {
        return hidden;
    }

    Path exposedDir() {
        return exposed;
    }

    Bind exposedBind() {
        return new Bind(exposed, "/host", true);
    }

    int tcp4Port() {
        return tcp4.port();
    }

    /** 0 when the host's loopback has no IPv6. */
    int tcp6Port() {
        return tcp6.map(LoopbackListener::port).orElse(0);
    }

    int udp4Port() {
        return udp4.getLocalPort();
    }

    /** Fails if anything the witness watches changed. */
    void assertUntouched() {
        assertTrue(canary.isAlive(), "the canary outside the sandbox was killed");
        assertTrue(canarySleep.isAlive(), "the canary's sleep outside the sandbox was killed");
        try {
            assertEquals(hiddenState, describe(hidden), "the hidden witness on the host changed");
            assertEquals(exposedState, snapshot(exposed), "the directory bound read-only at /host changed on the host");
        } catch (IOException e) {
            throw new AssertionError("a witness file is gone or unreadable: " + e, e);
        }
        sleep(20); // let a connection or datagram in flight be counted
        assertEquals(0, tcp4.connections() + tcp6.map(LoopbackListener::connections).orElse(0),
                "a listener on the host's loopback was reached");
        assertEquals(0, datagrams.get(), "a datagram reached the host's loopback");
    }

    /**
     * The host still answers promptly: starting /bin/true and waiting for it takes less than 100 ms
     * (best of three, so that one slow start on a shared machine is not taken for a hung host).
     */
    void assertResponsive() {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3 && best >= RESPONSE_MS; i++) {
            long start = System.nanoTime();
            try {
                Process p = new ProcessBuilder("/bin/true").start();
                assertTrue(p.waitFor(5, TimeUnit.SECONDS), "/bin/true did not end within 5 s");
            } catch (IOException e) {
                throw new AssertionError("the host cannot start a process: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            best = Math.min(best, (System.nanoTime() - start) / 1_000_000);
        }
        long took = best;
        assertTrue(took < RESPONSE_MS, () -> "the host took " + took + " ms to run /bin/true");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        canarySleep.destroyForcibly();
        canary.destroyForcibly();
        tcp4.close();
        tcp6.ifPresent(LoopbackListener::close);
        udp4.close();
        DirectoryTrees.delete(hiddenDir);
    }
}
