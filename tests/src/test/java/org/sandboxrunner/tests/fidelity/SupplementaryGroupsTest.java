package org.sandboxrunner.tests.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sandboxrunner.core.run.RunResult;
import org.sandboxrunner.core.run.Status;
import org.sandboxrunner.tests.SandboxFixture;

/**
 * Supplementary groups are a set: setgroups(2) stores them sorted by host gid (groups_sort in
 * kernel/groups.c), so getgroups returns them in that order, whatever order the profile wrote and
 * whatever order the container gids have. The proof of state must compare them as a set, or it
 * refuses valid profiles (the property test found both cases below).
 */
class SupplementaryGroupsTest {
    private static final SandboxFixture fx = SharedSandbox.FX;

    @Test
    void groupsWrittenOutOfOrderAreApplied() {
        // Identity-ordered mapping (default's): the profile lists 2000 before 100.
        assertGroups("""
                apiVersion: sandbox-runner/v1
                extends: default
                process:
                  user: {uid: 1000, gid: 1000, additionalGids: [2000, 100]}
                """);
    }

    @Test
    void groupsWhoseHostGidsRunTheOtherWayAreApplied() {
        // Written in ascending order, but 551 maps below 180 on the host, so the kernel keeps 551 first.
        assertGroups("""
                apiVersion: sandbox-runner/v1
                extends: default
                loosen: true
                process:
                  user: {uid: 1000, gid: 180, additionalGids: [180, 551]}
                linux:
                  gidMappings:
                    - {containerID: 180, hostID: 100452, size: 207}
                    - {containerID: 551, hostID: 100048, size: 184}
                """);
    }

    private static void assertGroups(String yaml) {
        var profile = SandboxFixture.yaml("groups", yaml);
        List<Long> asked = profile.profile().process().user().additionalGids();
        RunResult r = fx.run(SandboxFixture.sh(profile, "grep '^Groups:' /proc/self/status"));
        assertEquals(Status.OK, r.status(), r.message());
        List<Long> inside = List.of(SandboxFixture.out(r).substring("Groups:".length()).trim().split("\\s+")).stream()
                .map(Long::parseLong).sorted().toList();
        assertEquals(asked.stream().sorted().toList(), inside);
        assertEquals(asked.stream().sorted().toList(), r.state().orElseThrow().groups().stream().sorted().toList());
    }
}
