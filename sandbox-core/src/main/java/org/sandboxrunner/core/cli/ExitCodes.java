package org.sandboxrunner.core.cli;

/** The CLI's own exit statuses, as docker run has them; a run passes the workload's status through. */
final class ExitCodes {
    /** Bad flag or value, bad profile, or the sandbox could not be set up. */
    static final int USAGE = 125;

    private ExitCodes() {}
}
