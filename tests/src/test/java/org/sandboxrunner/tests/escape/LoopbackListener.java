package org.sandboxrunner.tests.escape;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A TCP listener on a loopback address of the host that counts the connections it accepts. */
final class LoopbackListener implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();

    private LoopbackListener(ServerSocket server) {
        this.server = server;
        Thread t = new Thread(this::acceptAll, "loopback-listener-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    /** Listens on {@code address} (127.0.0.1, ::1); empty when the host has no such address. */
    static Optional<LoopbackListener> on(String address) {
        try {
            return Optional.of(new LoopbackListener(new ServerSocket(0, 50, InetAddress.getByName(address))));
        } catch (SocketException e) {
            return Optional.empty(); // e.g. no IPv6 on this host's loopback: nothing to reach there either
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + address + ": " + e, e);
        }
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                connections.incrementAndGet();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    /** Whether a connection arrives within a second. */
    boolean awaitConnection() {
        for (int i = 0; i < 200 && connections.get() == 0; i++) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return connections.get() > 0;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
