package org.sandboxrunner.tests;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.sandboxrunner.core.run.Profiles;
import org.sandboxrunner.core.run.ResolvedProfile;
import org.sandboxrunner.core.run.RunRequest;
import org.sandboxrunner.core.run.RunResult;
import org.sandboxrunner.core.run.Sandbox;
import org.sandboxrunner.policy.ProfileException;
import org.sandboxrunner.policy.ProfileFormat;

/**
 * One Sandbox for a test class, and short ways to run shell snippets under a profile. Public so the
 * test packages below this one (fidelity, ...) share it.
 */
public final class SandboxFixture implements AutoCloseable {
    public final Sandbox sandbox = Sandbox.open();

    public static ResolvedProfile builtin(String name) {
        try {
            return Profiles.load(name);
        } catch (ProfileException e) {
            throw new AssertionError("built-in profile " + name + " does not load: " + e.getMessage(), e);
        }
    }

    /** A profile written inline, e.g. {@code extends: default} plus one change. */
    public static ResolvedProfile yaml(String name, String text) {
        try {
            return Profiles.resolve(Profiles.loader().parse(name + ".yaml", text, ProfileFormat.YAML));
        } catch (ProfileException e) {
            throw new AssertionError("test profile does not load: " + e.getMessage(), e);
        }
    }

    /**
     * The default profile plus one seccomp rule for chroot (which the default neither allows nor
     * names); {@code action} is the rule's YAML after its names, e.g. {@code action: SCMP_ACT_KILL_PROCESS}.
     */
    public static ResolvedProfile defaultWithChrootRule(String name, String action) {
        return yaml(name, """
                apiVersion: sandbox-runner/v1
                extends: default
                append: [linux.seccomp.syscalls]
                linux:
                  seccomp:
                    syscalls:
                      - names: [chroot]
                        %s
                """.formatted(action));
    }

    public static RunRequest sh(ResolvedProfile profile, String script) {
        return RunRequest.of(profile, List.of("/bin/sh", "-c", script));
    }

    public RunResult run(RunRequest request) {
        return sandbox.run(request);
    }

    public static String out(RunResult r) {
        return new String(r.stdout(), StandardCharsets.UTF_8);
    }

    public static String err(RunResult r) {
        return new String(r.stderr(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
