package org.sandboxrunner.core.cli;

import picocli.CommandLine;

/** {@code bin/sandbox}: the command line. Exit status 125 for any usage or set-up error, like docker run. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command tree; tests drive it without exiting the JVM. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SandboxCommand());
        cl.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("sandbox: " + e.getMessage()
                    + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("sandbox: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return ExitCodes.USAGE;
        });
        cl.setExitCodeExceptionMapper(e -> ExitCodes.USAGE);
        return cl;
    }
}
