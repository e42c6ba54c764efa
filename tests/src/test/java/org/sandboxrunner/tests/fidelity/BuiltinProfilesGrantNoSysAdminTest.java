package org.sandboxrunner.tests.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sandboxrunner.capabilities.Capability;
import org.sandboxrunner.capabilities.CapabilitySetKind;
import org.sandboxrunner.capabilities.CapabilitySets;
import org.sandboxrunner.capabilities.ProcStatus;
import org.sandboxrunner.core.launch.ObservedState;
import org.sandboxrunner.core.run.ResolvedProfile;
import org.sandboxrunner.core.run.RunResult;
import org.sandboxrunner.core.run.Status;
import org.sandboxrunner.policies.BuiltinProfiles;
import org.sandboxrunner.policy.CapabilitiesSpec;
import org.sandboxrunner.tests.SandboxFixture;

/**
 * CAP_SYS_ADMIN (mount, namespaces, and much else) is never granted by a built-in profile: not in
 * any of the five sets as written, not in what the native stage applied, not in what a workload
 * holds. Every built-in is checked, not a list kept here.
 */
class BuiltinProfilesGrantNoSysAdminTest {
    private static final SandboxFixture fx = SharedSandbox.FX;

    @Test
    void theBuiltinsAreTheOnesDocumented() {
        assertEquals(List.of("default", "grader-c", "grader-python", "grader-java", "batch"), BuiltinProfiles.names());
    }

    @Test
    void noBuiltinProfileGrantsSysAdmin() throws Exception {
        for (String name : BuiltinProfiles.names()) {
            ResolvedProfile profile = SandboxFixture.builtin(name);
            CapabilitiesSpec spec = profile.profile().process().capabilities();
            // Profiles spell capabilities CAP_[A-Z0-9_]+ (the policy module refuses other spellings).
            Map<String, List<String>> written = Map.of("bounding", spec.bounding(), "permitted", spec.permitted(),
                    "effective", spec.effective(), "inheritable", spec.inheritable(), "ambient", spec.ambient());
            written.forEach((set, names) -> assertFalse(names.contains("CAP_SYS_ADMIN"), name + " writes CAP_SYS_ADMIN in " + set));

            RunResult r = fx.run(SandboxFixture.sh(profile, "cat /proc/self/status"));
            assertEquals(Status.OK, r.status(), name + ": " + r.message() + SandboxFixture.err(r));
            ObservedState s = r.state().orElseThrow();
            CapabilitySets applied = CapabilitySets.fromBitmaps(s.bounding(), s.permitted(), s.effective(), s.inheritable(), s.ambient());
            CapabilitySets held = ProcStatus.parse(SandboxFixture.out(r), name + ": /proc/self/status").capabilities();

            for (CapabilitySetKind kind : CapabilitySetKind.values()) {
                assertFalse(applied.get(kind).contains(Capability.CAP_SYS_ADMIN), name + " applied CAP_SYS_ADMIN in " + kind.label());
                assertFalse(held.get(kind).contains(Capability.CAP_SYS_ADMIN), name + ": the workload holds CAP_SYS_ADMIN in " + kind.label());
            }
            // The table in docs/capabilities.md says every built-in grants nothing at all.
            assertTrue(written.values().stream().allMatch(List::isEmpty) && applied.equals(CapabilitySets.NONE)
                    && held.equals(CapabilitySets.NONE),
                    name + " grants capabilities the documentation does not list: " + written + " / " + applied + " / " + held);
        }
    }
}
