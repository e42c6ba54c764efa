package org.sandboxrunner.core.nativeio;

/**
 * Both ends of a connected AF_UNIX SOCK_SEQPACKET socket pair (socketpair(2)), each close-on-exec:
 * one end for the runner, the other for the one child it is passed to.
 */
public record SocketPair(Fd ours, Fd theirs) implements AutoCloseable {

    @Override
    public void close() {
        ours.close();
        theirs.close();
    }
}
