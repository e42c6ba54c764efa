package org.sandboxrunner.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProfileExplainerTest {

    private final ProfileLoader loader = new ProfileLoader(BuiltinResolver.NONE);

    @Test
    void explainsALooseProfileWithoutHidingWhatItAllows() throws ProfileException {
        Profile p = loader.parse("loose.yaml", """
                apiVersion: sandbox-runner/v1
                description: shares the network
                process:
                  user: {uid: 0, gid: 0, additionalGids: [5]}
                  capabilities: {bounding: [CAP_NET_BIND_SERVICE], permitted: [CAP_NET_BIND_SERVICE],
                                 effective: [CAP_NET_BIND_SERVICE]}
                  rlimits: [{type: RLIMIT_CPU, soft: 5, hard: unlimited}]
                linux:
                  namespaces: [{type: user}, {type: pid}, {type: mount}]
                  resources:
                    memory: {limit: 1G, swap: 2G}
                    cpu: {quota: 50000, period: 100000}
                mounts:
                  - {destination: /data, type: bind, source: /srv/data, options: [ro]}
                degrade: [cgroups]
                """, ProfileFormat.YAML);
        List<String> lines = ProfileExplainer.explain(p).lines().toList();
        assertEquals("Profile loose: shares the network", lines.get(0));
        assertEquals("  Canonical hash: " + ProfileHash.of(p) + " (results and audit events carry it).", lines.get(1));
        for (String expected : List.of(
                "  New namespaces: user, pid, mount.",
                "  Shared with the host: ipc, uts, network, cgroup.",
                "  Network: the host's; the sandbox can reach whatever the host can.",
                "  Runs as uid 0, gid 0 with supplementary groups 5, umask 0022.",
                "  Capabilities: bounding CAP_NET_BIND_SERVICE; permitted CAP_NET_BIND_SERVICE; effective"
                        + " CAP_NET_BIND_SERVICE; inheritable none; ambient none.",
                "  Mount: /data <- /srv/data (read-only)",
                "  CPU time unlimited, wall time unlimited, output unlimited.",
                "  Memory 1 GiB, with swap up to 2 GiB in all; processes: no limit; CPU quota 50000 us per 100000 us.",
                "  rlimits (soft/hard): RLIMIT_CPU 5/unlimited.",
                "  No seccomp filter: every system call the kernel offers is allowed.",
                "  May run without: cgroups (written to the audit log); any other missing feature refuses the run.")) {
            assertTrue(lines.contains(expected), "missing: " + expected + "\n" + String.join("\n", lines));
        }
    }
}
