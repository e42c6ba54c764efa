package org.sandboxrunner.core.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The file-system calls the layer unpacker needs, all relative to a directory fd and none following a
 * symlink: paths are resolved with {@code openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)} (or, where the
 * kernel lacks openat2, one {@code O_NOFOLLOW} component at a time), and every final operation acts on a
 * single name inside an already opened directory with the {@code *at} calls' no-follow behaviour. This
 * interface is free of JNA so the unpacker can be read and tested without it; {@link LinuxBeneathFs} is
 * the implementation. Failures are {@link NativeFsException}s carrying the function name and errno.
 */
public interface BeneathFs {

    int S_IFMT = 0170000;
    int S_IFREG = 0100000;
    int S_IFDIR = 0040000;
    int S_IFLNK = 0120000;
    int S_IFCHR = 0020000;
    int S_IFBLK = 0060000;
    int S_IFIFO = 0010000;

    /** An open file descriptor; closing twice is harmless. */
    interface Fd extends AutoCloseable {
        int fd();

        @Override
        void close() throws NativeFsException;
    }

    /** What {@code statx} says about one name. */
    record Stat(int mode, long uid, long gid, long size, int rdevMajor, int rdevMinor) {
        public int type() {
            return mode & S_IFMT;
        }

        public boolean isDirectory() {
            return type() == S_IFDIR;
        }

        public boolean isRegular() {
            return type() == S_IFREG;
        }

        /** An overlayfs whiteout: a character device 0/0 (Documentation/filesystems/overlayfs.rst). */
        public boolean isWhiteout() {
            return type() == S_IFCHR && rdevMajor == 0 && rdevMinor == 0;
        }
    }

    /** Opens an existing directory by absolute path, to be the root of later calls. */
    Fd openRoot(Path directory) throws NativeFsException;

    /** Opens the directory {@code relative} ("" for {@code root} itself) beneath {@code root}. */
    Fd openDirectory(Fd root, String relative) throws NativeFsException;

    /** Opens the regular file {@code relative} beneath {@code root} for reading. */
    Fd openFileForReading(Fd root, String relative) throws NativeFsException;

    /** Creates a new regular file (never an existing one) and opens it for writing. */
    Fd createFile(Fd parent, String name, int mode) throws NativeFsException;

    void mkdir(Fd parent, String name, int mode) throws NativeFsException;

    void symlink(String target, Fd parent, String name) throws NativeFsException;

    /** Hard-links {@code oldName} (not following a symlink) to {@code newName}. */
    void link(Fd oldParent, String oldName, Fd newParent, String newName) throws NativeFsException;

    void mknod(Fd parent, String name, int mode, int major, int minor) throws NativeFsException;

    void unlink(Fd parent, String name, boolean directory) throws NativeFsException;

    /** Changes owner of {@code name} itself (a symlink is not followed). */
    void chown(Fd parent, String name, long uid, long gid) throws NativeFsException;

    void chmod(Fd fd, int mode) throws NativeFsException;

    /** Sets the modification (and access) time of {@code name} itself. */
    void setTimes(Fd parent, String name, long seconds, int nanos) throws NativeFsException;

    void setXattr(Fd fd, String name, byte[] value) throws NativeFsException;

    /** {@code statx} of {@code name} itself; empty when it does not exist. */
    Optional<Stat> stat(Fd parent, String name) throws NativeFsException;

    void write(Fd fd, byte[] buffer, int length) throws NativeFsException;

    /** Reads up to {@code buffer.length} bytes; -1 at end of file. */
    int read(Fd fd, byte[] buffer) throws NativeFsException;

    /**
     * Atomically renames {@code from} to {@code to}, failing with EEXIST if {@code to} exists
     * ({@code renameat2(RENAME_NOREPLACE)}): how a finished layer is published.
     */
    void renameNoReplace(Path from, Path to) throws NativeFsException;

    /** Whether paths are resolved with openat2 (false: the per-component O_NOFOLLOW walk). */
    boolean usesOpenat2();
}
