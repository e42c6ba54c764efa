package org.sandboxrunner.seccomp;

/**
 * A libseccomp or libc call that failed. libseccomp reports failures as negative errno values; the
 * message names the call with its salient arguments and gives strerror of the errno, for example
 * {@code seccomp_rule_add_array(openat, SCMP_ACT_ERRNO(1)): Invalid argument}.
 */
public final class LibSeccompException extends SeccompException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    LibSeccompException(String call, int errno, String strerror) {
        super(call + ": " + strerror);
        this.call = call;
        this.errno = errno;
    }

    /** The failed call as written in the message, e.g. {@code seccomp_export_bpf(fd 7)}. */
    public String call() {
        return call;
    }

    /** The positive errno value. */
    public int errno() {
        return errno;
    }
}
