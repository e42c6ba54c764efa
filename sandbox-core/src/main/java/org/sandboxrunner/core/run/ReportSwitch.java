package org.sandboxrunner.core.run;

import java.util.Optional;
import org.sandboxrunner.policy.Degradation;
import org.sandboxrunner.policy.Profile;

/**
 * Whether one run reports denied syscalls: the request asks for it (the default), the profile's filter
 * allows it (ProfileCompiler's sendmsg guard), and the kernel has seccomp user notification. Without
 * the kernel feature the run is refused unless the profile's {@code degrade} lists
 * {@code seccomp-listener}, like every missing feature (docs/profiles.md).
 *
 * @param off      why the run has no report; empty when it has one
 * @param degraded whether the profile let the missing kernel feature go (the audit log records it)
 */
record ReportSwitch(Optional<String> off, boolean degraded) {
    static final String REQUEST_OFF = "the run request turned the report off";

    static ReportSwitch decide(boolean asked, Optional<String> profileBlocker, Optional<String> kernelProblem, Profile profile) {
        if (!asked) {
            return new ReportSwitch(Optional.of(REQUEST_OFF), false);
        }
        if (profileBlocker.isPresent()) {
            return new ReportSwitch(profileBlocker, false);
        }
        if (kernelProblem.isEmpty()) {
            return new ReportSwitch(Optional.empty(), false);
        }
        if (!profile.degrade().contains(Degradation.SECCOMP_LISTENER)) {
            throw new SandboxSetupException("seccomp", kernelProblem.get() + "; the profile does not allow running without "
                    + "the denied-syscall report (add 'seccomp-listener' to its degrade list, or turn the report off in "
                    + "the request)", Verdict.SETUP_FAILED, null);
        }
        return new ReportSwitch(kernelProblem, true);
    }
}
