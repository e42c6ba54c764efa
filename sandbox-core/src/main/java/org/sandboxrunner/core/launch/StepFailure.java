package org.sandboxrunner.core.launch;

/** The native stage's first failed step: its name, the errno and what it was applied to. */
public record StepFailure(String step, int errno, String detail) {}
