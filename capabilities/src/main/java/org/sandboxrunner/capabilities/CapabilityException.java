package org.sandboxrunner.capabilities;

/**
 * Input the capability model cannot use: an unknown or misspelled capability or securebit name, a
 * capability above the running kernel's last one, malformed capability text, a bitmap that is not
 * one. The message says what is wrong and where.
 */
public final class CapabilityException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public CapabilityException(String message) {
        super(message);
    }
}
