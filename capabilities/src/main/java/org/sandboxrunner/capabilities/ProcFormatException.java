package org.sandboxrunner.capabilities;

/**
 * A {@code /proc} file whose text is not what the kernel writes: a field missing, repeated or
 * malformed. The message names the file, the line and the field.
 */
public final class ProcFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ProcFormatException(String message) {
        super(message);
    }
}
