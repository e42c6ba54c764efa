package org.sandboxrunner.seccomp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The few glibc functions this module needs, bound through JNA. {@code long} stands for
 * {@code size_t}, {@code ssize_t} and {@code off_t}: the runner supports 64-bit Linux only (LP64).
 * Calls that set errno declare {@link LastErrorException}, so JNA reads errno right after the call.
 */
interface CLibrary extends Library {
    CLibrary INSTANCE = Native.load("c", CLibrary.class);

    /** memfd_create(2) flag: close the memfd on execve. */
    int MFD_CLOEXEC = 0x0001;
    /** lseek(2) whence. */
    int SEEK_END = 2;

    int memfd_create(String name, int flags) throws LastErrorException;

    long lseek(int fd, long offset, int whence) throws LastErrorException;

    long pread(int fd, byte[] buffer, long count, long offset) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    String strerror(int errno);

    /** glibc 2.32+: the errno's symbolic name ("EPERM"), or NULL when the number has none. */
    String strerrorname_np(int errno);

    void free(Pointer pointer);
}
