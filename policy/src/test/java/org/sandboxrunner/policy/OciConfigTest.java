package org.sandboxrunner.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OCI runtime configs as real runtimes write them: {@code runc spec} and {@code crun spec} (Debian
 * packages runc and crun, which CI installs) run in a temporary directory, and the result loads
 * through {@code oci:}. What the runner cannot honour is refused with its reason.
 */
class OciConfigTest {

    private final ProfileLoader loader = new ProfileLoader(BuiltinResolver.NONE);

    private static void spec(Path dir, String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail(command[0] + " is not installed; install the Debian package " + command[0] + " (CI installs it): " + e);
            return;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + " failed: " + output);
    }

    @Test
    void runcSpecLoads(@TempDir Path dir) throws Exception {
        spec(dir, "runc", "spec");
        Profile profile = loader.load("oci:" + dir);
        assertEquals(dir.getFileName().toString(), profile.name());
        assertEquals("runc", profile.hostname());
        // runc spec asks for pid, network, ipc, uts and mount; the runner always adds a user namespace.
        assertTrue(profile.linux().namespaces().containsAll(EnumSet.of(NamespaceType.USER, NamespaceType.PID,
                NamespaceType.NETWORK, NamespaceType.IPC, NamespaceType.UTS, NamespaceType.MOUNT)));
        assertEquals(List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"),
                profile.process().capabilities().bounding());
        // runc cannot raise ambient capabilities that are not inheritable (it only warns): neither do we.
        assertEquals(List.of(), profile.process().capabilities().ambient());
        assertEquals(List.of(new RlimitSpec("RLIMIT_NOFILE", 1024, 1024)), profile.process().rlimits());
        assertEquals(0, profile.process().user().uid());
        assertEquals("/", profile.process().cwd());
        assertTrue(profile.linux().maskedPaths().contains("/proc/kcore"));
        // /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue, /sys, /sys/fs/cgroup are the runner's own business.
        assertEquals(List.of(), profile.filesystem().mounts());
        assertEquals(profile, CanonicalProfile.parse(CanonicalProfile.render(profile)));
    }

    @Test
    void runcRootlessSpecLoadsFromTheConfigFile(@TempDir Path dir) throws Exception {
        spec(dir, "runc", "spec", "--rootless");
        Profile profile = loader.loadOci(dir.resolve("config.json"));
        assertTrue(profile.linux().namespaces().contains(NamespaceType.USER));
        assertTrue(profile.linux().uidMappings().get(0).mapsContainerId(0));
        assertEquals(List.of(), profile.filesystem().mounts(), "the rootless /sys bind is dropped with the others");
    }

    @Test
    void crunSpecLoads(@TempDir Path dir) throws Exception {
        spec(dir, "crun", "spec");
        Profile profile = loader.load("oci:" + dir.resolve("config.json"));
        assertEquals("crun", profile.hostname());
        assertEquals(List.of(), profile.process().capabilities().inheritable());
        assertEquals(List.of(), profile.process().capabilities().ambient());
        assertTrue(profile.linux().namespaces().contains(NamespaceType.USER));
    }

    @Test
    void whatTheRunnerCannotHonourIsRefusedWithTheReason(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("config.json");
        Files.writeString(config, """
                {"ociVersion": "1.0.2",
                 "process": {"user": {"uid": 0, "gid": 0}, "cwd": "/", "args": ["sh"], "oomScoreAdj": 5},
                 "hooks": {"prestart": [{"path": "/bin/true"}]},
                 "linux": {"namespaces": [{"type": "network", "path": "/run/netns/x"}],
                           "devices": [{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229}],
                           "resources": {"devices": [{"allow": true, "access": "rwm"}], "memory": {"kernel": 1}}},
                 "mounts": [{"destination": "/x", "type": "overlay", "source": "overlay"}],
                 "extra": 1}
                """);
        ProfileException e = assertThrows(ProfileException.class, () -> loader.loadOci(config));
        String c = config.toString();
        assertEquals(List.of(
                c + ":2:72: process.oomScoreAdj: is not supported by sandbox-runner: oom_score_adj is not set by this runner",
                c + ":3:2: hooks: is not supported by sandbox-runner: hooks run host programs during setup;"
                        + " sandbox-runner runs none",
                c + ":5:12: linux.devices: is not supported by sandbox-runner: the sandbox gets a fixed minimal /dev"
                        + " (null, zero, full, random, urandom)",
                c + ":6:38: linux.resources.devices[0]: is not supported by sandbox-runner: device access is limited to"
                        + " the fixed minimal /dev, so only deny rules ({allow: false}) are accepted",
                c + ":6:84: linux.resources.memory.kernel: is not supported by sandbox-runner: only memory.limit and"
                        + " memory.swap are enforced",
                c + ":7:35: mounts[0].type: mount type 'overlay' is not supported by sandbox-runner: only bind and"
                        + " tmpfs mounts, besides the /proc and /dev the runner makes itself",
                c + ":8:2: extra: unknown OCI field 'extra'; known here: annotations, domainname, hooks, hostname, linux,"
                        + " mounts, ociVersion, process, root, solaris, vm, windows, zos"),
                e.errors().stream().map(ProfileError::format).toList());
    }

    @Test
    void namespacePathsFromOciConfigsAreRefusedLikeInProfiles(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("config.json"), """
                {"ociVersion": "1.0.2", "linux": {"namespaces": [{"type": "user"}, {"type": "network", "path": "/run/netns/x"}]}}
                """);
        ProfileException e = assertThrows(ProfileException.class, () -> loader.load("oci:" + dir));
        assertEquals(List.of(dir.resolve("config.json") + ":1:88: linux.namespaces[1].path: joining an existing"
                + " namespace is not supported: the sandbox always creates new namespaces; remove 'path'"),
                e.errors().stream().map(ProfileError::format).toList());
    }

    @Test
    void aMissingBundleSaysSo(@TempDir Path dir) {
        ProfileException e = assertThrows(ProfileException.class, () -> loader.load("oci:" + dir.resolve("none")));
        assertEquals(List.of(dir.resolve("none") + ": cannot read: no such file"),
                e.errors().stream().map(ProfileError::format).toList());
    }
}
