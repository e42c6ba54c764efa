package org.sandboxrunner.seccomp;

/**
 * A seccomp section that cannot be compiled or imported exactly as written. The message says what is
 * wrong and where (the profile path of the offending field, or the libseccomp call that refused it);
 * nothing is half-built when it is thrown.
 */
public class SeccompException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SeccompException(String message) {
        super(message);
    }

    public SeccompException(String message, Throwable cause) {
        super(message, cause);
    }
}
