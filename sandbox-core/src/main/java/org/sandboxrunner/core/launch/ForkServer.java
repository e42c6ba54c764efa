package org.sandboxrunner.core.launch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sandboxrunner.core.nativeio.Fd;
import org.sandboxrunner.core.nativeio.NativeException;
import org.sandboxrunner.core.nativeio.Posix;
import org.sandboxrunner.core.nativeio.SocketPair;

/**
 * One running native stage server (server.c): a process started once, which starts a helper for each
 * launch as a clone sharing its memory (CLONE_VM|CLONE_VFORK), so a run pays neither a spawn and exec
 * nor the copy-on-write faults of a fork (docs/ARCHITECTURE.md). One launch at a time;
 * {@link NativeLauncher} keeps a pool.
 *
 * <p>The helper sets all the state it uses and scrubs the plan and the relayed output when it ends, so
 * the server holds nothing of a run between launches. It ends when its socket closes: at
 * {@link #close()}, or when the runner dies, whose descriptors the kernel closes.
 */
final class ForkServer implements AutoCloseable {
    private static final int EPIPE = 32, ECONNRESET = 104;

    private final int pid;
    private final Fd socket;
    private boolean closed;

    private ForkServer(int pid, Fd socket) {
        this.pid = pid;
        this.socket = socket;
    }

    static ForkServer start(Path helper) {
        SocketPair pair = Posix.socketPair();
        try (Fd theirs = pair.theirs(); Fd devNull = Posix.openRead("/dev/null")) {
            int pid = Posix.spawn(helper.toString(), List.of(HelperBinary.FILE_NAME),
                    Map.of(0, devNull, 1, devNull, 2, devNull, 3, theirs));
            return new ForkServer(pid, pair.ours());
        } catch (RuntimeException e) {
            pair.ours().close();
            throw e;
        }
    }

    /**
     * Has the server start a helper with exactly these descriptors (helper number -> ours). The
     * caller may close its own copies as soon as this returns.
     *
     * @return false when the server is gone (it was killed between launches): nothing was started
     */
    boolean startHelper(Map<Integer, Fd> fds) {
        ByteBuffer data = ByteBuffer.allocate(4 * (1 + fds.size())).order(ByteOrder.nativeOrder());
        data.putInt(fds.size());
        List<Fd> passed = new ArrayList<>(fds.size());
        fds.forEach((number, fd) -> {
            data.putInt(number);
            passed.add(fd);
        });
        return send(data.array(), passed);
    }

    /** Sends one request as it is; false when the server is gone. */
    boolean send(byte[] data, List<Fd> fds) {
        try {
            Posix.sendWithFds(socket, data, fds);
            return true;
        } catch (NativeException e) {
            if (e.errno() == EPIPE || e.errno() == ECONNRESET) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Waits for the helper of the last {@link #startHelper} to end.
     *
     * @return its raw wait status (waitpid(2))
     * @throws IllegalStateException when the server could not start it, or died
     */
    int awaitStatus() {
        byte[] reply = new byte[4];
        int n = Posix.read(socket, reply);
        if (n != 4) {
            throw new IllegalStateException("the native stage server (pid " + pid + ") ended without answering");
        }
        int value = ByteBuffer.wrap(reply).order(ByteOrder.nativeOrder()).getInt();
        if (value < 0) {
            throw new IllegalStateException("the native stage server (pid " + pid + ") could not start the helper: "
                    + Posix.strerror(-value) + " (errno " + -value + ")");
        }
        return value;
    }

    int pid() {
        return pid;
    }

    /** Ends the server (EOF on its socket) and reaps it. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        socket.close();
        Posix.waitFor(pid);
    }
}
