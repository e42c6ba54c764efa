package org.sandboxrunner.core.image;

/**
 * The image, its layout or its signatures are not acceptable: the message says what is wrong and where.
 * Callers treat it as a refusal (the CLI exits 1), as opposed to an {@link java.io.IOException}, which
 * means the runner could not read or write what it needed (exit 125).
 */
public class ImageException extends Exception {
    private static final long serialVersionUID = 1L;

    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
