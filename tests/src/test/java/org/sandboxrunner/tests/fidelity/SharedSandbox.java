package org.sandboxrunner.tests.fidelity;

import org.sandboxrunner.tests.SandboxFixture;

/**
 * One {@link SandboxFixture} for every test of this package, opened on first use: a Sandbox is
 * thread-safe and meant to be held for a process's life (a grader service holds one). It is never
 * closed: {@code Sandbox.close()} releases nothing, each run releases its own resources.
 */
final class SharedSandbox {
    static final SandboxFixture FX = new SandboxFixture();

    private SharedSandbox() {}
}
