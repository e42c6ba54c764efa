package org.sandboxrunner.core.nativeio;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The libc functions the runner calls, bound by JNA direct mapping (the fastest JNA form: no proxy,
 * no reflection per call). Functions that set errno declare {@link LastErrorException}, so errno is
 * captured by JNA right after the call, before any other code can change it. Kept package-private:
 * the rest of the runner sees {@link Posix}, which has no JNA types.
 */
final class LibC {
    static {
        Native.register(LibC.class, NativeLibrary.getInstance("c"));
    }

    private LibC() {}

    static native int pipe2(int[] fds, int flags) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native long read(int fd, byte[] buf, long count) throws LastErrorException;

    static native long write(int fd, byte[] buf, long count) throws LastErrorException;

    static native long pread(int fd, byte[] buf, long count, long offset) throws LastErrorException;

    static native int open(String path, int flags, int mode) throws LastErrorException;

    static native int memfd_create(String name, int flags) throws LastErrorException;

    static native int socketpair(int domain, int type, int protocol, int[] fds) throws LastErrorException;

    static native long sendmsg(int fd, Pointer msg, int flags) throws LastErrorException;

    static native int waitpid(int pid, int[] status, int options) throws LastErrorException;

    static native int kill(int pid, int sig) throws LastErrorException;

    static native int getuid();

    static native int getgid();

    static native String strerror(int errnum);

    // posix_spawn and friends return an error number instead of setting errno.
    static native int posix_spawn(IntByReference pid, String path, Pointer fileActions, Pointer attr,
            Pointer argv, Pointer envp);

    static native int posix_spawn_file_actions_init(Pointer fileActions);

    static native int posix_spawn_file_actions_destroy(Pointer fileActions);

    static native int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);

    static native int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int from);

    static native int posix_spawnattr_init(Pointer attr);

    static native int posix_spawnattr_destroy(Pointer attr);

    static native int posix_spawnattr_setflags(Pointer attr, short flags);

    static native int posix_spawnattr_setsigmask(Pointer attr, Pointer sigmask);

    static native int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigdefault);

    static native int sigemptyset(Pointer set);

    static native int sigfillset(Pointer set);
}
