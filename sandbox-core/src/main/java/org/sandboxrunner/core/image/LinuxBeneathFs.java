package org.sandboxrunner.core.image;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@link BeneathFs} on Linux through JNA (libc). errno is read with {@link Native#getLastError()}
 * immediately after each call and reported with the function's name and {@code strerror}. openat2 is
 * probed once by calling it; without it (kernels before 5.6) paths are walked one component at a time
 * with {@code O_NOFOLLOW | O_DIRECTORY}, which refuses symlinks just the same.
 */
public final class LinuxBeneathFs implements BeneathFs {

    private interface LibC extends Library {
        int openat(int dirfd, byte[] path, int flags, int mode);

        long syscall(long number, Object... args);

        int mkdirat(int dirfd, byte[] path, int mode);

        int symlinkat(byte[] target, int newdirfd, byte[] linkpath);

        int linkat(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags);

        int mknodat(int dirfd, byte[] path, int mode, long dev);

        int unlinkat(int dirfd, byte[] path, int flags);

        int fchownat(int dirfd, byte[] path, int uid, int gid, int flags);

        int fchmod(int fd, int mode);

        int utimensat(int dirfd, byte[] path, long[] times, int flags);

        int fsetxattr(int fd, byte[] name, byte[] value, long size, int flags);

        int statx(int dirfd, byte[] path, int flags, int mask, Pointer buffer);

        long write(int fd, byte[] buffer, long count);

        long read(int fd, byte[] buffer, long count);

        int close(int fd);

        int renameat2(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags);

        String strerror(int errno);
    }

    private static final LibC LIBC = Native.load("c", LibC.class);

    /** openat2(2) syscall number: the same on x86_64 and aarch64 (asm-generic and x86 tables). */
    private static final long SYS_OPENAT2 = 437;
    private static final long RESOLVE_NO_XDEV = 0x01;
    private static final long RESOLVE_NO_MAGICLINKS = 0x02;
    private static final long RESOLVE_NO_SYMLINKS = 0x04;
    private static final long RESOLVE_BENEATH = 0x08;
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int AT_REMOVEDIR = 0x200;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_CREAT = 0100;
    private static final int O_EXCL = 0200;
    private static final int O_CLOEXEC = 02000000;
    private static final int RENAME_NOREPLACE = 1;
    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final int STATX_SIZE = 256;

    private final int oNoFollow;
    private final int oDirectory;
    private final boolean openat2;

    public LinuxBeneathFs() {
        this(true);
    }

    private LinuxBeneathFs(boolean allowOpenat2) {
        // O_NOFOLLOW and O_DIRECTORY differ between architectures (asm/fcntl.h).
        switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> {
                oNoFollow = 0400000;
                oDirectory = 0200000;
            }
            case "aarch64" -> {
                oNoFollow = 0100000;
                oDirectory = 040000;
            }
            default -> throw new UnsupportedOperationException("no open(2) flag values for architecture "
                    + System.getProperty("os.arch"));
        }
        this.openat2 = allowOpenat2 && probeOpenat2();
    }

    /** The per-component fallback even where openat2 exists, so that path is tested too. */
    static LinuxBeneathFs withoutOpenat2() {
        return new LinuxBeneathFs(false);
    }

    private boolean probeOpenat2() {
        long fd = openat2Call(AT_FDCWD, "/", O_RDONLY | oDirectory | O_CLOEXEC, 0);
        int errno = Native.getLastError();
        if (fd >= 0) {
            LIBC.close((int) fd);
            return true;
        }
        if (errno == NativeFsException.ENOSYS) {
            return false;
        }
        throw new IllegalStateException(error("openat2", "/", errno).getMessage());
    }

    @Override
    public boolean usesOpenat2() {
        return openat2;
    }

    private long openat2Call(int dirfd, String path, int flags, long resolve) {
        Memory how = new Memory(24);
        how.setLong(0, flags);
        how.setLong(8, 0);
        how.setLong(16, resolve);
        Memory p = cString(path);
        return LIBC.syscall(SYS_OPENAT2, (long) dirfd, p, how, 24L);
    }

    private static Memory cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        Memory m = new Memory(b.length + 1L);
        m.write(0, b, 0, b.length);
        m.setByte(b.length, (byte) 0);
        return m;
    }

    private static byte[] c(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] r = new byte[b.length + 1];
        System.arraycopy(b, 0, r, 0, b.length);
        return r;
    }

    private static NativeFsException error(String function, String argument, int errno) {
        return new NativeFsException(function, argument, errno, LIBC.strerror(errno));
    }

    private record OpenFd(int fd, boolean[] closed) implements Fd {
        @Override
        public void close() throws NativeFsException {
            if (closed[0]) {
                return;
            }
            closed[0] = true;
            if (LIBC.close(fd) != 0) {
                throw error("close", Integer.toString(fd), Native.getLastError());
            }
        }
    }

    private static Fd wrap(int fd) {
        return new OpenFd(fd, new boolean[1]);
    }

    @Override
    public Fd openRoot(Path directory) throws NativeFsException {
        String p = directory.toAbsolutePath().toString();
        int fd = LIBC.openat(AT_FDCWD, c(p), O_RDONLY | oDirectory | O_CLOEXEC, 0);
        if (fd < 0) {
            throw error("openat", p, Native.getLastError());
        }
        return wrap(fd);
    }

    @Override
    public Fd openDirectory(Fd root, String relative) throws NativeFsException {
        return open(root, relative.isEmpty() ? "." : relative, O_RDONLY | oDirectory | O_CLOEXEC);
    }

    @Override
    public Fd openFileForReading(Fd root, String relative) throws NativeFsException {
        return open(root, relative, O_RDONLY | O_CLOEXEC);
    }

    private Fd open(Fd root, String relative, int flags) throws NativeFsException {
        if (openat2) {
            // RESOLVE_NO_SYMLINKS covers the last component too (ELOOP); O_NOFOLLOW is not added because
            // with O_DIRECTORY it would turn that ELOOP into a less telling ENOTDIR.
            long fd = openat2Call(root.fd(), relative, flags,
                    RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV);
            if (fd < 0) {
                throw error("openat2", relative, Native.getLastError());
            }
            return wrap((int) fd);
        }
        return walk(root, relative, flags);
    }

    /** Fallback: one component at a time, each opened with O_NOFOLLOW (a symlink gives ELOOP). */
    private Fd walk(Fd root, String relative, int flags) throws NativeFsException {
        String[] parts = relative.split("/");
        int current = root.fd();
        boolean owned = false;
        try {
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i];
                if (part.isEmpty() || part.equals("..")) {
                    throw new NativeFsException("openat", relative, NativeFsException.EXDEV,
                            "path component \"" + part + "\" is not allowed beneath the root");
                }
                boolean last = i == parts.length - 1;
                int f = last ? flags | oNoFollow : O_RDONLY | oDirectory | oNoFollow | O_CLOEXEC;
                int next = LIBC.openat(current, c(part), f, 0);
                int errno = Native.getLastError();
                if (next < 0 && errno == NativeFsException.ENOTDIR && isSymlink(current, part)) {
                    // O_NOFOLLOW | O_DIRECTORY on a symlink says ENOTDIR; say what openat2 would.
                    errno = NativeFsException.ELOOP;
                }
                if (owned) {
                    LIBC.close(current);
                }
                if (next < 0) {
                    owned = false;
                    throw error("openat", relative, errno);
                }
                current = next;
                owned = true;
            }
            owned = false;
            return wrap(current);
        } finally {
            if (owned) {
                LIBC.close(current);
            }
        }
    }

    private static boolean isSymlink(int dirfd, String name) {
        Memory buf = new Memory(STATX_SIZE);
        buf.clear();
        return LIBC.statx(dirfd, c(name), AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buf) == 0
                && (buf.getShort(28) & S_IFMT) == S_IFLNK;
    }

    @Override
    public Fd createFile(Fd parent, String name, int mode) throws NativeFsException {
        int fd = LIBC.openat(parent.fd(), c(name), O_WRONLY | O_CREAT | O_EXCL | oNoFollow | O_CLOEXEC, mode);
        if (fd < 0) {
            throw error("openat", name, Native.getLastError());
        }
        return wrap(fd);
    }

    @Override
    public void mkdir(Fd parent, String name, int mode) throws NativeFsException {
        check(LIBC.mkdirat(parent.fd(), c(name), mode), "mkdirat", name);
    }

    @Override
    public void symlink(String target, Fd parent, String name) throws NativeFsException {
        check(LIBC.symlinkat(c(target), parent.fd(), c(name)), "symlinkat", name);
    }

    @Override
    public void link(Fd oldParent, String oldName, Fd newParent, String newName) throws NativeFsException {
        // flags 0: no AT_SYMLINK_FOLLOW, so a symlink is linked itself, never its target.
        check(LIBC.linkat(oldParent.fd(), c(oldName), newParent.fd(), c(newName), 0), "linkat", newName);
    }

    @Override
    public void mknod(Fd parent, String name, int mode, int major, int minor) throws NativeFsException {
        check(LIBC.mknodat(parent.fd(), c(name), mode, makedev(major, minor)), "mknodat", name);
    }

    /** glibc's gnu_dev_makedev. */
    static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8) | ((minor & 0xffffff00L) << 12)
                | (minor & 0xffL);
    }

    @Override
    public void unlink(Fd parent, String name, boolean directory) throws NativeFsException {
        check(LIBC.unlinkat(parent.fd(), c(name), directory ? AT_REMOVEDIR : 0), "unlinkat", name);
    }

    @Override
    public void chown(Fd parent, String name, long uid, long gid) throws NativeFsException {
        check(LIBC.fchownat(parent.fd(), c(name), (int) uid, (int) gid, AT_SYMLINK_NOFOLLOW), "fchownat", name);
    }

    @Override
    public void chmod(Fd fd, int mode) throws NativeFsException {
        check(LIBC.fchmod(fd.fd(), mode), "fchmod", Integer.toString(fd.fd()));
    }

    @Override
    public void setTimes(Fd parent, String name, long seconds, int nanos) throws NativeFsException {
        long[] times = {seconds, nanos, seconds, nanos};
        check(LIBC.utimensat(parent.fd(), c(name), times, AT_SYMLINK_NOFOLLOW), "utimensat", name);
    }

    @Override
    public void setXattr(Fd fd, String name, byte[] value) throws NativeFsException {
        check(LIBC.fsetxattr(fd.fd(), c(name), value, value.length, 0), "fsetxattr", name);
    }

    @Override
    public Optional<Stat> stat(Fd parent, String name) throws NativeFsException {
        Memory buf = new Memory(STATX_SIZE);
        buf.clear();
        int r = LIBC.statx(parent.fd(), c(name), AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buf);
        if (r != 0) {
            int errno = Native.getLastError();
            if (errno == NativeFsException.ENOENT) {
                return Optional.empty();
            }
            throw error("statx", name, errno);
        }
        // struct statx (include/uapi/linux/stat.h): uid@20, gid@24, mode@28 (u16), size@40, rdev@128/132.
        return Optional.of(new Stat(buf.getShort(28) & 0xffff, buf.getInt(20) & 0xffffffffL,
                buf.getInt(24) & 0xffffffffL, buf.getLong(40), buf.getInt(128), buf.getInt(132)));
    }

    @Override
    public void write(Fd fd, byte[] buffer, int length) throws NativeFsException {
        byte[] data = length == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, length);
        int off = 0;
        while (off < length) {
            byte[] chunk = off == 0 ? data : java.util.Arrays.copyOfRange(data, off, length);
            long n = LIBC.write(fd.fd(), chunk, chunk.length);
            if (n < 0) {
                throw error("write", Integer.toString(fd.fd()), Native.getLastError());
            }
            off += (int) n;
        }
    }

    @Override
    public int read(Fd fd, byte[] buffer) throws NativeFsException {
        long n = LIBC.read(fd.fd(), buffer, buffer.length);
        if (n < 0) {
            throw error("read", Integer.toString(fd.fd()), Native.getLastError());
        }
        return n == 0 ? -1 : (int) n;
    }

    @Override
    public void renameNoReplace(Path from, Path to) throws NativeFsException {
        String f = from.toAbsolutePath().toString();
        String t = to.toAbsolutePath().toString();
        check(LIBC.renameat2(AT_FDCWD, c(f), AT_FDCWD, c(t), RENAME_NOREPLACE), "renameat2", t);
    }

    private static void check(int result, String function, String argument) throws NativeFsException {
        if (result != 0) {
            throw error(function, argument, Native.getLastError());
        }
    }
}
