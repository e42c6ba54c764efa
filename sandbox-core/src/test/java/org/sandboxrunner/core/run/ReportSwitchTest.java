package org.sandboxrunner.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sandboxrunner.policy.Profile;
import org.sandboxrunner.policy.ProfileFormat;

/** When a run reports denied syscalls, and what a kernel without seccomp user notification does to it. */
class ReportSwitchTest {
    private static final Optional<String> NO_KERNEL = Optional.of("this kernel has no seccomp user notification");

    private static Profile profile(String degrade) throws Exception {
        return Profiles.resolve(Profiles.loader().parse("p.yaml", """
                apiVersion: sandbox-runner/v1
                name: p
                extends: default
                degrade: [%s]
                """.formatted(degrade), ProfileFormat.YAML)).profile();
    }

    @Test
    void onByDefaultOffWhenTheRequestOrTheProfileSaysSo() throws Exception {
        Profile strict = profile("");
        assertEquals(new ReportSwitch(Optional.empty(), false), ReportSwitch.decide(true, Optional.empty(), Optional.empty(), strict));
        assertEquals(new ReportSwitch(Optional.of(ReportSwitch.REQUEST_OFF), false),
                ReportSwitch.decide(false, Optional.empty(), NO_KERNEL, strict), "a run without the report needs no listener");
        assertEquals(new ReportSwitch(Optional.of("denies sendmsg"), false),
                ReportSwitch.decide(true, Optional.of("denies sendmsg"), NO_KERNEL, strict));
    }

    @Test
    void aMissingKernelFeatureRefusesTheRunUnlessTheProfileDegrades() throws Exception {
        SandboxSetupException e = assertThrows(SandboxSetupException.class,
                () -> ReportSwitch.decide(true, Optional.empty(), NO_KERNEL, profile("")));
        assertEquals("seccomp", e.step());
        assertEquals("this kernel has no seccomp user notification; the profile does not allow running without the "
                + "denied-syscall report (add 'seccomp-listener' to its degrade list, or turn the report off in the request)",
                e.getMessage());
        assertEquals(new ReportSwitch(NO_KERNEL, true), ReportSwitch.decide(true, Optional.empty(), NO_KERNEL, profile("seccomp-listener")));
    }
}
