package org.sandboxrunner.core.cli;

import java.util.List;
import java.util.function.Consumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM handlers for the length of a command, and the JVM's own ones back after it. The
 * JVM's own handlers exit at once, which skips the clean-up a run does when it returns (its cgroup,
 * its box): a command that installs these decides itself how to wind up.
 */
record StopSignals(List<Signal> signals, List<SignalHandler> previous) {
    static StopSignals install(Consumer<String> onSignal) {
        List<Signal> signals = List.of(new Signal("INT"), new Signal("TERM"));
        List<SignalHandler> previous = signals.stream()
                .map(s -> Signal.handle(s, caught -> onSignal.accept(caught.getName()))).toList();
        return new StopSignals(signals, previous);
    }

    void restore() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
