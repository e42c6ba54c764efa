package org.sandboxrunner.core.image;

/** The entries and uncompressed bytes left for one image; shared by its layers. */
final class UnpackBudget {

    private final UnpackOptions options;
    private long entries;
    private long bytes;

    UnpackBudget(UnpackOptions options) {
        this.options = options;
    }

    void entry(String name) throws ImageException {
        if (++entries > options.maxEntries()) {
            throw new ImageException("the image has more than " + options.maxEntries() + " tar entries (at \""
                    + name + "\"); refused");
        }
    }

    /** Accounts uncompressed bytes as they are read (headers, data, padding, trailing zeros). */
    void bytes(long n) throws BudgetExceededException {
        bytes += n;
        if (bytes > options.maxBytes()) {
            throw new BudgetExceededException("the image's layers uncompress to more than " + options.maxBytes()
                    + " bytes; refused (decompression bomb?)");
        }
    }

    /** Refuses an entry whose declared size alone would exceed what is left, before writing any of it. */
    void declare(String name, long size) throws ImageException {
        if (size > options.maxBytes() - bytes) {
            throw new ImageException("tar entry \"" + name + "\" declares " + size + " bytes, more than the "
                    + (options.maxBytes() - bytes) + " left of the image's limit; refused");
        }
    }

    /** Thrown from inside a stream, hence an IOException; the unpacker reports it as a refusal. */
    static final class BudgetExceededException extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        BudgetExceededException(String message) {
            super(message);
        }
    }
}
