package org.sandboxrunner.tests.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.core.launch.MountRow;
import org.sandboxrunner.core.launch.ObservedState;
import org.sandboxrunner.core.run.ResolvedProfile;
import org.sandboxrunner.core.run.ResultJson;
import org.sandboxrunner.core.run.RunResult;
import org.sandboxrunner.core.run.Status;
import org.sandboxrunner.policies.BuiltinProfiles;
import org.sandboxrunner.policy.IdMapping;
import org.sandboxrunner.policy.NamespaceType;
import org.sandboxrunner.policy.Profile;
import org.sandboxrunner.tests.SandboxFixture;

/**
 * For every built-in profile, the fields the state gate added read back what the profile asked: the
 * id maps (the runner is root, so the profile's own), setgroups, the host name, the mounts every plan
 * makes, the run's cgroup, and the workload's seccomp filter; and the result carries the state's hash
 * with no differences.
 */
class BuiltinProfilesStateTest {
    private static final SandboxFixture fx = SharedSandbox.FX;

    @Test
    void everyBuiltinReadsBackWhatItAsked() {
        for (String name : BuiltinProfiles.names()) {
            ResolvedProfile resolved = SandboxFixture.builtin(name);
            Profile p = resolved.profile();
            RunResult r = fx.run(SandboxFixture.sh(resolved, "true"));
            assertEquals(Status.OK, r.status(), name + ": " + r.message() + SandboxFixture.err(r));
            ObservedState s = r.state().orElseThrow();
            assertEquals(extents(p.linux().uidMappings()), s.uidMap(), name + " uid_map");
            assertEquals(extents(p.linux().gidMappings()), s.gidMap(), name + " gid_map");
            assertEquals("allow", s.setgroups(), name + " setgroups");
            if (p.linux().namespaces().contains(NamespaceType.UTS)) {
                assertEquals(p.hostname(), s.hostname(), name + " hostname");
            }
            assertMount(name, s, "/proc", "proc", List.of("nosuid", "nodev", "noexec"));
            assertMount(name, s, "/tmp", "tmpfs", List.of("nosuid", "nodev"));
            assertMount(name, s, p.filesystem().box(), "tmpfs", List.of("nosuid", "nodev"));
            assertTrue(s.cgroups().stream().anyMatch(c -> c.matches("\\d+:[^:]*memory[^:]*:/.+")),
                    name + ": the init is in no memory cgroup of its own: " + s.cgroups());
            ObservedState.SeccompState seccomp = s.seccomp().orElseThrow();
            if (p.linux().seccomp().isPresent()) {
                assertTrue(seccomp.mode() == 2 && seccomp.filters() >= 1, name + " seccomp " + seccomp);
            }
            ResultJson.StateJson json = ResultJson.of(r).state();
            assertEquals(new ResultJson.StateJson(s.sha256(), s.mounts().size(), s.mountTableSha256(), List.of()), json, name);
        }
    }

    /**
     * With a host work directory (root runner), /box is the overlay the init moved there from the
     * helper's inherited descriptor: the gate checked its row (the run started), and it reads back as
     * an overlay with nosuid,nodev.
     */
    @Test
    void aWorkdirRunsBoxRowIsItsOverlay(@TempDir Path work) {
        RunResult r = fx.run(SandboxFixture.sh(SandboxFixture.builtin("default"), "true").withWorkdir(work));
        assertEquals(Status.OK, r.status(), r.message() + SandboxFixture.err(r));
        assertMount("default", r.state().orElseThrow(), "/box", "overlay", List.of("nosuid", "nodev"));
    }

    @Test
    void twoRunsOfOneProfileShareTheMountTableHashButNotTheStateHash() {
        ResolvedProfile p = SandboxFixture.builtin("default");
        ObservedState first = fx.run(SandboxFixture.sh(p, "true")).state().orElseThrow();
        ObservedState second = fx.run(SandboxFixture.sh(p, "true")).state().orElseThrow();
        assertEquals(first.normalisedMountTable(), second.normalisedMountTable());
        assertEquals(first.mountTableSha256(), second.mountTableSha256());
        // The namespaces and the cgroup leaf are the run's own.
        assertTrue(!first.sha256().equals(second.sha256()), first.canonicalText() + "\n" + second.canonicalText());
    }

    private static void assertMount(String profile, ObservedState s, String point, String type, List<String> options) {
        Optional<MountRow> top = s.mounts().stream().filter(m -> m.mountPoint().equals(point)).reduce((a, b) -> b);
        assertTrue(top.isPresent(), profile + ": nothing mounted at " + point + ": " + s.mounts());
        assertEquals(type, top.get().fsType(), profile + " " + point);
        assertTrue(top.get().options().containsAll(options), profile + " " + point + ": " + top.get().options());
    }

    private static List<List<Long>> extents(List<IdMapping> maps) {
        return maps.stream().map(m -> List.of(m.containerId(), m.hostId(), m.size())).toList();
    }
}
