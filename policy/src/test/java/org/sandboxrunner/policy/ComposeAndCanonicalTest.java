package org.sandboxrunner.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defaults, extends with its merge rules, and the canonical form. */
class ComposeAndCanonicalTest {

    private static final String HEAD = "apiVersion: sandbox-runner/v1\n";
    private static final String BASE = HEAD + "name: base\ndescription: the base\n"
            + "process:\n  env: [A=1, B=2]\n  user: {uid: 1000, gid: 1000}\n"
            + "linux:\n  maskedPaths: [/proc/kcore]\n  resources:\n    memory: {limit: 256M}\n    pids: {limit: 64}\n"
            + "limits: {cpuTimeMs: 1000, wallTimeMs: 2000}\n";

    /** A resolver with one built-in, as the policies module provides them. */
    private final ProfileLoader loader = new ProfileLoader(new BuiltinResolver() {
        @Override
        public Optional<String> yaml(String name) {
            return Optional.ofNullable(Map.of("base", BASE).get(name));
        }

        @Override
        public List<String> names() {
            return List.of("base");
        }
    });

    @Test
    void aOneLineProfileGetsEveryDocumentedDefault() throws ProfileException {
        Profile p = loader.parse("minimal.yaml", HEAD, ProfileFormat.YAML);
        assertEquals("minimal", p.name(), "the file's base name");
        assertEquals("", p.description());
        assertEquals("sandbox", p.hostname());
        assertEquals(EnumSet.allOf(NamespaceType.class), p.linux().namespaces());
        assertEquals(List.of(new IdMapping(0, 100000, 65536)), p.linux().uidMappings());
        assertEquals(new UserSpec(1000, 1000, 0022, List.of()), p.process().user());
        assertEquals(List.of("PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/box", "LANG=C.UTF-8"), p.process().env());
        assertEquals(CapabilitiesSpec.none(), p.process().capabilities());
        assertEquals(List.of(), p.process().rlimits());
        assertEquals(ResourcesSpec.unlimited(), p.linux().resources());
        assertEquals(Optional.empty(), p.linux().seccomp());
        assertEquals(new FilesystemSpec(List.of("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/etc"), "/box",
                64L << 20, List.of()), p.filesystem());
        assertEquals(new LimitsSpec(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty()), p.limits());
        assertEquals(AuditSpec.none(), p.audit());
        assertEquals(EnumSet.noneOf(Degradation.class), p.degrade());
    }

    @Test
    void childrenMergeMapsReplaceListsAndAppendWhenAsked() throws ProfileException {
        Profile p = loader.parse("child.yaml", HEAD + "extends: base\nappend: [linux.maskedPaths]\n"
                + "process:\n  env: [C=3]\n  user: {gid: 2000}\n"
                + "linux:\n  maskedPaths: [/proc/keys]\n  resources:\n    pids: {limit: 32}\n", ProfileFormat.YAML);
        assertEquals("child", p.name(), "names are not inherited");
        assertEquals("", p.description(), "descriptions are not inherited");
        assertEquals(List.of("C=3"), p.process().env(), "lists replace");
        assertEquals(List.of("/proc/kcore", "/proc/keys"), p.linux().maskedPaths(), "unless appended");
        assertEquals(1000, p.process().user().uid(), "maps merge");
        assertEquals(2000, p.process().user().gid());
        assertEquals(OptionalLong.of(256L << 20), p.linux().resources().memoryLimitBytes());
        assertEquals(OptionalLong.of(32), p.linux().resources().pidsLimit());
    }

    @Test
    void errorsInAParentPointIntoTheParent(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("parent.yaml"), HEAD + "process:\n  cwd: relative\n");
        Files.writeString(dir.resolve("child.yaml"), HEAD + "extends: parent.yaml\nhostname: box\n");
        ProfileException e = org.junit.jupiter.api.Assertions.assertThrows(ProfileException.class,
                () -> loader.loadFile(dir.resolve("child.yaml")));
        assertEquals(List.of(dir.resolve("parent.yaml") + ":3:3: process.cwd: must be an absolute path (starting with"
                + " '/'), got 'relative'"), e.errors().stream().map(ProfileError::format).toList());
    }

    @Test
    void aChildMayTightenWithoutSayingAnything() throws ProfileException {
        Profile p = loader.parse("tight.yaml", HEAD + "extends: base\nlimits: {cpuTimeMs: 500}\n"
                + "linux:\n  resources:\n    memory: {limit: 128M}\n", ProfileFormat.YAML);
        assertEquals(OptionalLong.of(500), p.limits().cpuTimeMs());
        assertEquals(OptionalLong.of(128L << 20), p.linux().resources().memorySwapBytes(), "swap follows: no swap");
    }

    @Test
    void oneProfileWrittenTwoWaysHasOneCanonicalFormAndHash() throws ProfileException {
        Profile yaml = loader.parse("same.yaml", HEAD + "linux:\n  resources:\n    memory: {limit: 64M}\n"
                + "process:\n  user: {umask: \"0o027\"}\n", ProfileFormat.YAML);
        Profile json = loader.parse("same.json", "{\"process\": {\"user\": {\"umask\": 23}}, \"linux\": {\"resources\":"
                + " {\"memory\": {\"limit\": 67108864, \"swap\": 67108864}}}, \"apiVersion\": \"sandbox-runner/v1\"}",
                ProfileFormat.JSON);
        assertEquals(yaml, json);
        assertEquals(CanonicalProfile.render(yaml), CanonicalProfile.render(json));
        assertEquals(ProfileHash.of(yaml), ProfileHash.of(json));
        Profile other = loader.parse("same.yaml", HEAD + "hostname: other\n", ProfileFormat.YAML);
        assertNotEquals(ProfileHash.of(yaml), ProfileHash.of(other));
    }

    @Test
    void theCanonicalFormIsCompactSortedAndComplete() throws ProfileException {
        Profile p = loader.parse("c.yaml", HEAD + "limits: {wallTimeMs: 5000}\n", ProfileFormat.YAML);
        assertEquals("{\"apiVersion\":\"sandbox-runner/v1\",\"audit\":{},\"degrade\":[],\"description\":\"\","
                + "\"filesystem\":{\"box\":\"/box\",\"hostReadOnly\":[\"/usr\",\"/bin\",\"/sbin\",\"/lib\",\"/lib64\","
                + "\"/lib32\",\"/etc\"],\"tmpSize\":67108864},\"hostname\":\"sandbox\",\"limits\":{\"wallTimeMs\":5000},"
                + "\"linux\":{\"gidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}],\"maskedPaths\":[],"
                + "\"namespaces\":[{\"type\":\"user\"},{\"type\":\"pid\"},{\"type\":\"mount\"},{\"type\":\"ipc\"},"
                + "{\"type\":\"uts\"},{\"type\":\"network\"},{\"type\":\"cgroup\"}],\"readonlyPaths\":[],\"resources\":{},"
                + "\"uidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]},\"mounts\":[],\"name\":\"c\","
                + "\"process\":{\"capabilities\":{\"ambient\":[],\"bounding\":[],\"effective\":[],\"inheritable\":[],"
                + "\"permitted\":[]},\"cwd\":\"/box\",\"env\":[\"PATH=/usr/local/bin:/usr/bin:/bin\",\"HOME=/box\","
                + "\"LANG=C.UTF-8\"],\"noNewPrivileges\":true,\"rlimits\":[],\"securebits\":[],\"user\":"
                + "{\"additionalGids\":[],\"gid\":1000,\"uid\":1000,\"umask\":18}}}", CanonicalProfile.render(p));
        assertEquals(p, CanonicalProfile.parse(CanonicalProfile.render(p)));
        // The same bytes through coreutils' sha256sum.
        assertEquals("sha256:cc346ebb2bafb82ed2fe851acdf81c93737d8b196a2eab65421c2b5162b4c8a6", ProfileHash.of(p).toString());
    }

    @Test
    void seccompValuesAboveTheSignedRangeSurviveTheRoundTrip() throws ProfileException {
        Profile p = loader.parse("s.yaml", HEAD + "linux:\n  seccomp:\n    defaultAction: SCMP_ACT_ALLOW\n    syscalls:\n"
                + "      - names: [ioctl]\n        action: SCMP_ACT_ERRNO\n"
                + "        args: [{index: 1, value: 18446744073709551615, valueTwo: 0x5412, op: SCMP_CMP_MASKED_EQ}]\n"
                + "process:\n  rlimits: [{type: RLIMIT_CPU, soft: unlimited, hard: 18446744073709551615}]\n",
                ProfileFormat.YAML);
        SyscallRule rule = p.linux().seccomp().orElseThrow().syscalls().get(0);
        assertEquals(-1L, rule.args().get(0).value());
        assertEquals(java.util.OptionalInt.of(1), rule.errnoRet(), "EPERM when ERRNO gives no errnoRet, as in runc");
        assertEquals(new RlimitSpec("RLIMIT_CPU", RlimitSpec.UNLIMITED, RlimitSpec.UNLIMITED), p.process().rlimits().get(0));
        String canonical = CanonicalProfile.render(p);
        assertEquals(true, canonical.contains("\"value\":18446744073709551615"), canonical);
        assertEquals(true, canonical.contains("\"soft\":\"unlimited\""), canonical);
        assertEquals(p, CanonicalProfile.parse(canonical));
    }
}
