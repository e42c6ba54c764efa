package org.sandboxrunner.core.run;

/**
 * The sandbox could not be set up, so the workload did not run: the step that failed, a message a
 * user can act on, and the exit status the CLI gives (125 set-up failure, 126 not executable,
 * 127 not found, like {@code docker run}).
 */
public final class SandboxSetupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String step;
    private final int exitCode;

    public SandboxSetupException(String step, String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.step = step;
        this.exitCode = exitCode;
    }

    public String step() {
        return step;
    }

    public int exitCode() {
        return exitCode;
    }
}
