package org.sandboxrunner.core.image;

import java.io.IOException;

/**
 * A blob read from a layout is not what its descriptor says (longer, shorter, or another digest). It is an
 * {@link IOException} only so that it can leave an {@link java.io.InputStream}; {@link OciLayout} and the
 * unpacker turn it into an {@link ImageException}, because it is a refusal, not an I/O failure.
 */
final class BlobMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    BlobMismatchException(String message) {
        super(message);
    }
}
