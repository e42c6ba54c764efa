package org.sandboxrunner.core.nativeio;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

/**
 * The runner's window on libc, without JNA types. Every failure is a {@link NativeException} naming
 * the function and the errno text. Only the Linux/glibc ABI values the runner needs are defined here;
 * they are the same on x86_64 and aarch64 (asm-generic fcntl.h, glibc spawn.h).
 */
public final class Posix {
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_CREAT = 0100;
    private static final int O_TRUNC = 01000;
    private static final int O_APPEND = 02000;
    private static final int O_CLOEXEC = 02000000;
    private static final int MFD_CLOEXEC = 1;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETPGROUP = 0x02;
    private static final int EINTR = 4;
    private static final int AF_UNIX = 1;
    private static final int SOCK_SEQPACKET = 5;
    private static final int SOCK_CLOEXEC = O_CLOEXEC;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int MSG_NOSIGNAL = 0x4000;
    /** Larger than glibc's posix_spawn_file_actions_t (80 bytes), posix_spawnattr_t (336), sigset_t (128). */
    private static final int OPAQUE_BYTES = 1024;

    private Posix() {}

    public static String strerror(int errno) {
        return LibC.strerror(errno);
    }

    public static Pipe pipe() {
        int[] fds = new int[2];
        try {
            LibC.pipe2(fds, O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new NativeException("pipe2", "", e.getErrorCode());
        }
        return new Pipe(new Fd(fds[0]), new Fd(fds[1]));
    }

    /** A connected pair of AF_UNIX SOCK_SEQPACKET sockets (message boundaries kept), both close-on-exec. */
    public static SocketPair socketPair() {
        int[] fds = new int[2];
        try {
            LibC.socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds);
        } catch (LastErrorException e) {
            throw new NativeException("socketpair", "", e.getErrorCode());
        }
        return new SocketPair(new Fd(fds[0]), new Fd(fds[1]));
    }

    /**
     * Sends one message of {@code data} on a SOCK_SEQPACKET socket ({@link #socketPair}) with copies of
     * {@code fds} attached (SCM_RIGHTS, unix(7)); the receiver gets them in this order. MSG_NOSIGNAL: a
     * peer that is gone gives EPIPE, not SIGPIPE.
     * The layouts are the LP64 ones of x86_64 and aarch64 (socket.h): struct msghdr is 56 bytes, its
     * iov at 16, iovlen at 24, control at 32, controllen at 40; struct cmsghdr a 16-byte header
     * (len, level, type) followed by the descriptors; CMSG_SPACE rounds up to 8 bytes.
     */
    public static void sendWithFds(Fd socket, byte[] data, List<Fd> fds) {
        if (com.sun.jna.Native.POINTER_SIZE != 8) {
            throw new UnsupportedOperationException("descriptor passing is laid out for 64-bit Linux only");
        }
        Memory payload = new Memory(Math.max(1, data.length));
        payload.write(0, data, 0, data.length);
        Memory iov = new Memory(16);
        iov.setPointer(0, payload);
        iov.setLong(8, data.length);
        int cmsgLen = 16 + 4 * fds.size();
        Memory control = new Memory((cmsgLen + 7) & ~7);
        control.clear();
        control.setLong(0, cmsgLen);
        control.setInt(8, SOL_SOCKET);
        control.setInt(12, SCM_RIGHTS);
        for (int i = 0; i < fds.size(); i++) {
            control.setInt(16 + 4L * i, fds.get(i).number());
        }
        Memory msg = new Memory(56);
        msg.clear();
        msg.setPointer(16, iov);
        msg.setLong(24, 1);
        msg.setPointer(32, control);
        msg.setLong(40, control.size());
        while (true) {
            try {
                // A SOCK_SEQPACKET message is sent whole or not at all (unix(7)).
                LibC.sendmsg(socket.number(), msg, MSG_NOSIGNAL);
                return;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw new NativeException("sendmsg", socket.toString(), e.getErrorCode());
                }
            }
        }
    }

    public static Fd openRead(String path) {
        return open(path, O_RDONLY | O_CLOEXEC, 0);
    }

    /** Creates or truncates (or appends to) a file for writing, mode 0644 before umask. */
    public static Fd openWrite(String path, boolean append) {
        return open(path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC) | O_CLOEXEC, 0644);
    }

    private static Fd open(String path, int flags, int mode) {
        try {
            return new Fd(LibC.open(path, flags, mode));
        } catch (LastErrorException e) {
            throw new NativeException("open", path, e.getErrorCode());
        }
    }

    /** An anonymous memory file (memfd_create(2)): a destination the runner reads after the run. */
    public static Fd memfd(String name) {
        try {
            return new Fd(LibC.memfd_create(name, MFD_CLOEXEC));
        } catch (LastErrorException e) {
            throw new NativeException("memfd_create", name, e.getErrorCode());
        }
    }

    /** Reads up to {@code max} bytes from offset 0, without moving the file offset. */
    public static byte[] preadAll(Fd fd, int max) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[Math.min(max, 1 << 16)];
        long offset = 0;
        while (out.size() < max) {
            long n;
            try {
                n = LibC.pread(fd.number(), buf, Math.min(buf.length, max - out.size()), offset);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EINTR) {
                    continue;
                }
                throw new NativeException("pread", fd.toString(), e.getErrorCode());
            }
            if (n == 0) {
                break;
            }
            out.write(buf, 0, (int) n);
            offset += n;
        }
        return out.toByteArray();
    }

    /** One read(2); returns 0 at end of file. Retries EINTR. */
    public static int read(Fd fd, byte[] buf) {
        while (true) {
            try {
                return (int) LibC.read(fd.number(), buf, buf.length);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw new NativeException("read", fd.toString(), e.getErrorCode());
                }
            }
        }
    }

    public static void writeAll(Fd fd, byte[] data) {
        int off = 0;
        byte[] chunk = data;
        while (off < data.length) {
            if (off > 0) {
                chunk = java.util.Arrays.copyOfRange(data, off, data.length);
            }
            try {
                off += (int) LibC.write(fd.number(), chunk, chunk.length);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw new NativeException("write", fd.toString(), e.getErrorCode());
                }
            }
        }
    }

    /**
     * Starts {@code path} with posix_spawn(3): glibc uses clone(CLONE_VM|CLONE_VFORK), which is safe
     * from a multithreaded JVM, unlike fork. The child gets exactly the descriptors in {@code fds}
     * (child number -> our descriptor); every other descriptor is closed (closefrom), all signals
     * are unblocked and set to their default action (the JVM blocks and handles several), and the
     * child leads a new process group.
     *
     * @return the child's pid
     */
    public static int spawn(String path, List<String> argv, Map<Integer, Fd> fds) {
        Memory actions = new Memory(OPAQUE_BYTES);
        Memory attr = new Memory(OPAQUE_BYTES);
        Memory signals = new Memory(OPAQUE_BYTES);
        check("posix_spawn_file_actions_init", LibC.posix_spawn_file_actions_init(actions));
        try {
            check("posix_spawnattr_init", LibC.posix_spawnattr_init(attr));
            try {
                int highest = -1;
                int parking = 0;
                for (Map.Entry<Integer, Fd> e : fds.entrySet()) {
                    highest = Math.max(highest, e.getKey());
                    parking = Math.max(parking, Math.max(e.getKey(), e.getValue().number()) + 1);
                }
                // A dup2 onto a target could clobber a source that sits at that number: first copy
                // every source above all sources and targets, then move the copies into place.
                int i = 0;
                for (Map.Entry<Integer, Fd> e : fds.entrySet()) {
                    check("posix_spawn_file_actions_adddup2",
                            LibC.posix_spawn_file_actions_adddup2(actions, e.getValue().number(), parking + i++));
                }
                i = 0;
                for (Map.Entry<Integer, Fd> e : fds.entrySet()) {
                    check("posix_spawn_file_actions_adddup2",
                            LibC.posix_spawn_file_actions_adddup2(actions, parking + i++, e.getKey()));
                }
                check("posix_spawn_file_actions_addclosefrom_np",
                        LibC.posix_spawn_file_actions_addclosefrom_np(actions, highest + 1));
                check("sigemptyset", LibC.sigemptyset(signals) == 0 ? 0 : 22);
                check("posix_spawnattr_setsigmask", LibC.posix_spawnattr_setsigmask(attr, signals));
                Memory all = new Memory(OPAQUE_BYTES);
                check("sigfillset", LibC.sigfillset(all) == 0 ? 0 : 22);
                check("posix_spawnattr_setsigdefault", LibC.posix_spawnattr_setsigdefault(attr, all));
                // A process group of its own (pgroup 0: the child's pid): a terminal's Ctrl-C goes to the
                // foreground group, i.e. the runner, which then ends the run through the lifeline;
                // the helper must not die first and leave the sandbox to itself.
                check("posix_spawnattr_setflags", LibC.posix_spawnattr_setflags(attr,
                        (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP)));
                IntByReference pid = new IntByReference();
                StringArray args = new StringArray(argv.toArray(new String[0]));
                StringArray env = new StringArray(new String[0]);
                int rc = LibC.posix_spawn(pid, path, actions, attr, args, env);
                if (rc != 0) {
                    throw new NativeException("posix_spawn", path, rc);
                }
                return pid.getValue();
            } finally {
                LibC.posix_spawnattr_destroy(attr);
            }
        } finally {
            LibC.posix_spawn_file_actions_destroy(actions);
        }
    }

    private static void check(String function, int rc) {
        if (rc != 0) {
            throw new NativeException(function, "", rc);
        }
    }

    /** waitpid(2) for one child, retrying EINTR; returns the raw wait status. */
    public static int waitFor(int pid) {
        int[] status = new int[1];
        while (true) {
            try {
                LibC.waitpid(pid, status, 0);
                return status[0];
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw new NativeException("waitpid", Integer.toString(pid), e.getErrorCode());
                }
            }
        }
    }

    public static int uid() {
        return LibC.getuid();
    }

    public static int gid() {
        return LibC.getgid();
    }

    static void closeQuietly(int fd) {
        try {
            LibC.close(fd);
        } catch (LastErrorException e) {
            // close(2): the descriptor is released even when an error is reported; nothing to retry.
        }
    }
}
