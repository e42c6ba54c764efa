package org.sandboxrunner.core.cgroup;

import java.io.IOException;

/**
 * A cgroup operation failed. The message names the file or directory and the kernel's error text
 * (strerror), or says which value the kernel reported instead of the one written.
 */
public final class CgroupException extends IOException {
    private static final long serialVersionUID = 1L;

    public CgroupException(String message) {
        super(message);
    }

    public CgroupException(String message, Throwable cause) {
        super(message, cause);
    }
}
