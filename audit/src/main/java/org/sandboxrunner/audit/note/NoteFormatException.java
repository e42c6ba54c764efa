package org.sandboxrunner.audit.note;

/** Text that is not a well-formed signed note, checkpoint or note key; the message says where and why. */
public final class NoteFormatException extends Exception {

    public NoteFormatException(String message) {
        super(message);
    }
}
