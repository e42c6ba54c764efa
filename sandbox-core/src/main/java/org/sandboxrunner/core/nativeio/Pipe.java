package org.sandboxrunner.core.nativeio;

/** Both ends of a pipe(7), each close-on-exec, so no other child of the JVM inherits either. */
public record Pipe(Fd readEnd, Fd writeEnd) implements AutoCloseable {

    @Override
    public void close() {
        readEnd.close();
        writeEnd.close();
    }
}
