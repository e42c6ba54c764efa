package org.sandboxrunner.tests;

import org.sandboxrunner.core.cli.BatchCommand;
import picocli.CommandLine;

/** {@code sandbox batch} as its own program, for tests that signal a real runner process. */
public final class BatchCli {
    private BatchCli() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new BatchCommand()).execute(args));
    }
}
