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
    /** Set when the run was stopped by the state gate (step verify-state); not serialised. */
    private final transient StateProof stateProof;

    public SandboxSetupException(String step, String message, int exitCode, Throwable cause) {
        this(step, message, exitCode, cause, null);
    }

    /** A run the state gate stopped before exec: the proof lists the differences. */
    SandboxSetupException(String step, String message, int exitCode, Throwable cause, StateProof stateProof) {
        super(message, cause);
        this.step = step;
        this.exitCode = exitCode;
        this.stateProof = stateProof;
    }

    /** The state read back and its differences from the plan, when the state gate stopped the run. */
    public java.util.Optional<StateProof> stateProof() {
        return java.util.Optional.ofNullable(stateProof);
    }

    public String step() {
        return step;
    }

    public int exitCode() {
        return exitCode;
    }
}
