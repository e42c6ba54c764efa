package org.sandboxrunner.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One exact message per kind of error: what is wrong, where, and what would be valid. */
class ProfileErrorsTest {

    private static final String HEAD = "apiVersion: sandbox-runner/v1\n";
    private final ProfileLoader loader = new ProfileLoader(BuiltinResolver.NONE);

    private List<String> yamlErrors(String yaml) {
        ProfileException e = assertThrows(ProfileException.class, () -> loader.parse("p.yaml", yaml, ProfileFormat.YAML));
        return e.errors().stream().map(ProfileError::format).toList();
    }

    private List<String> jsonErrors(String json) {
        ProfileException e = assertThrows(ProfileException.class, () -> loader.parse("p.json", json, ProfileFormat.JSON));
        return e.errors().stream().map(ProfileError::format).toList();
    }

    @Test
    void unknownFieldNamesTheValidOnes() {
        assertEquals(List.of("p.yaml:3:3: process.usr: unknown field 'usr'; valid fields here: capabilities, cwd, env,"
                + " noNewPrivileges, rlimits, securebits, user"), yamlErrors(HEAD + "process:\n  usr: {uid: 1}\n"));
    }

    @Test
    void duplicateKeyPointsAtBothPlaces() {
        assertEquals(List.of("p.yaml:3:9: hostname: duplicate key 'hostname' (first written at line 2, column 1)"),
                yamlErrors(HEAD + "hostname: a\nhostname: b\n"));
        assertEquals(List.of("p.json:1:64: hostname: duplicate key 'hostname' (first written at line 1, column 37)"),
                jsonErrors("{\"apiVersion\": \"sandbox-runner/v1\", \"hostname\": \"a\", \"hostname\": \"b\"}"));
    }

    @Test
    void wrongScalarTypesAreNotCoerced() {
        assertEquals(List.of("p.yaml:4:5: process.user.uid: expected an integer, got the string '1000'"),
                yamlErrors(HEAD + "process:\n  user:\n    uid: \"1000\"\n"));
        assertEquals(List.of("p.yaml:2:1: hostname: expected a string, got the integer 12"),
                yamlErrors(HEAD + "hostname: 12\n"));
        assertEquals(List.of("p.yaml:3:3: limits.cpuTimeMs: expected an integer, got the number 1.5"),
                yamlErrors(HEAD + "limits:\n  cpuTimeMs: 1.5\n"));
        assertEquals(List.of("p.yaml:3:3: process.noNewPrivileges: expected true or false, got the string 'yes please'"),
                yamlErrors(HEAD + "process:\n  noNewPrivileges: yes please\n"));
        assertEquals(List.of("p.yaml:3:3: linux.maskedPaths: expected a list, got the string '/proc/kcore'"),
                yamlErrors(HEAD + "linux:\n  maskedPaths: /proc/kcore\n"));
    }

    @Test
    void trailingContentIsRefused() {
        assertEquals(List.of("p.yaml:3:1: only one document is allowed; found more content after the profile"),
                yamlErrors(HEAD + "---\nhostname: b\n"));
        assertEquals(List.of("p.json:1:37: only one document is allowed; found more content after the profile"),
                jsonErrors("{\"apiVersion\": \"sandbox-runner/v1\"} {}"));
    }

    @Test
    void outOfRangeValuesSayTheRange() {
        assertEquals(List.of("p.yaml:4:5: process.user.uid: must be an id between 0 and 4294967294, got 4294967295"),
                yamlErrors(HEAD + "process:\n  user:\n    uid: 4294967295\n"));
        assertEquals(List.of("p.yaml:4:5: process.user.gid: the integer 99999999999999999999 is out of range here;"
                + " expected an integer between -9223372036854775808 and 9223372036854775807"),
                yamlErrors(HEAD + "process:\n  user:\n    gid: 99999999999999999999\n"));
        assertEquals(List.of("p.yaml:4:15: linux.resources.blockIO.weight: must be between 10 and 1000, got 5"),
                yamlErrors(HEAD + "linux:\n  resources:\n    blockIO: {weight: 5}\n"));
        assertEquals(List.of("p.yaml:3:3: limits.wallTimeMs: must be between 1 and 9223372036854775807, got 0"),
                yamlErrors(HEAD + "limits:\n  wallTimeMs: 0\n"));
    }

    @Test
    void sizesTakeSuffixesAndSayHow() {
        assertEquals(List.of("p.yaml:3:3: filesystem.tmpSize: expected a size: a number of bytes, or digits with a K, M or G"
                + " suffix (powers of 1024) such as 64M; got '64MB'"), yamlErrors(HEAD + "filesystem:\n  tmpSize: 64MB\n"));
        assertEquals(List.of("p.yaml:5:7: linux.resources.memory.limit: 256 bytes is below the minimum of 1 MiB; sizes are"
                + " bytes unless written with a suffix such as 256M"),
                yamlErrors(HEAD + "linux:\n  resources:\n    memory:\n      limit: 256\n"));
    }

    @Test
    void duplicateRlimitType() {
        assertEquals(List.of("p.yaml:5:7: process.rlimits[1]: rlimit type 'RLIMIT_NOFILE' is already given by"
                + " process.rlimits[0]"), yamlErrors(HEAD + "process:\n  rlimits:\n"
                + "    - {type: RLIMIT_NOFILE, soft: 64, hard: 64}\n"
                + "    - {type: RLIMIT_NOFILE, soft: 32, hard: 32}\n"));
    }

    @Test
    void unknownRlimitTypeAndSecurebitListTheValidNames() {
        assertEquals(List.of("p.yaml:4:8: process.rlimits[0].type: unknown rlimit type 'RLIMIT_FILES'; valid: RLIMIT_AS,"
                + " RLIMIT_CORE, RLIMIT_CPU, RLIMIT_DATA, RLIMIT_FSIZE, RLIMIT_LOCKS, RLIMIT_MEMLOCK, RLIMIT_MSGQUEUE,"
                + " RLIMIT_NICE, RLIMIT_NOFILE, RLIMIT_NPROC, RLIMIT_RSS, RLIMIT_RTPRIO, RLIMIT_RTTIME,"
                + " RLIMIT_SIGPENDING, RLIMIT_STACK"),
                yamlErrors(HEAD + "process:\n  rlimits:\n    - {type: RLIMIT_FILES, soft: 1, hard: 1}\n"));
        assertEquals(List.of("p.yaml:3:16: process.securebits[0]: unknown securebit 'NOROOT'; valid: noroot, noroot_locked,"
                + " no_setuid_fixup, no_setuid_fixup_locked, keep_caps, keep_caps_locked, no_cap_ambient_raise,"
                + " no_cap_ambient_raise_locked"), yamlErrors(HEAD + "process:\n  securebits: [NOROOT]\n"));
        assertEquals(List.of("p.yaml:4:29: process.rlimits[0].soft: soft limit 65 exceeds hard limit 64; setrlimit(2)"
                + " refuses a soft limit above the hard limit"),
                yamlErrors(HEAD + "process:\n  rlimits:\n    - {type: RLIMIT_NOFILE, soft: 65, hard: 64}\n"));
    }

    @Test
    void overlappingIdMappings() {
        assertEquals(List.of("p.yaml:5:8: linux.uidMappings[1].containerID: container ids 50-59 overlap linux.uidMappings[0]"
                + " (0-99); ranges must not overlap (user_namespaces(7))"),
                yamlErrors(HEAD + "linux:\n  uidMappings:\n    - {containerID: 0, hostID: 100000, size: 100}\n"
                        + "    - {containerID: 50, hostID: 200000, size: 10}\n"));
        assertEquals(List.of("p.yaml:5:26: linux.gidMappings[1].hostID: host ids 100050-100059 overlap"
                + " linux.gidMappings[0] (100000-100099); ranges must not overlap (user_namespaces(7))"),
                yamlErrors(HEAD + "linux:\n  gidMappings:\n    - {containerID: 0, hostID: 100000, size: 100}\n"
                        + "    - {containerID: 500, hostID: 100050, size: 10}\n"));
    }

    @Test
    void theSandboxUserMustBeMapped() {
        assertEquals(List.of("p.yaml:4:5: process.user.uid: uid 1000 is not mapped by linux.uidMappings (0-99); map it or"
                + " choose a mapped uid"),
                yamlErrors(HEAD + "process:\n  user:\n    uid: 1000\n"
                        + "linux:\n  uidMappings: [{containerID: 0, hostID: 100000, size: 100}]\n"));
    }

    @Test
    void seccompOperatorIsLocatedDeepInsideTheRules() {
        String rule = "    - {names: [read], action: SCMP_ACT_ALLOW}\n";
        assertEquals(List.of("p.yaml:11:35: linux.seccomp.syscalls[3].args[0].op: unknown operator 'SCMP_CMP_EQUAL';"
                + " valid: SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT,"
                + " SCMP_CMP_MASKED_EQ"),
                yamlErrors(HEAD + "linux:\n seccomp:\n  defaultAction: SCMP_ACT_ERRNO\n  syscalls:\n" + rule + rule + rule
                        + "    - names: [personality]\n      action: SCMP_ACT_ALLOW\n"
                        + "      args: [{index: 0, value: 0, op: SCMP_CMP_EQUAL}]\n"));
    }

    @Test
    void errnoRetOnlyWithErrnoOrTrace() {
        assertEquals(List.of("p.yaml:6:49: linux.seccomp.syscalls[0].errnoRet: is only valid with SCMP_ACT_ERRNO or"
                + " SCMP_ACT_TRACE, and action is SCMP_ACT_ALLOW; remove it or change the action"),
                yamlErrors(HEAD + "linux:\n  seccomp:\n    defaultAction: SCMP_ACT_ERRNO\n    syscalls:\n"
                        + "      - {names: [read], action: SCMP_ACT_ALLOW, errnoRet: 1}\n"));
    }

    @Test
    void noNewPrivilegesFalseIsExplained() {
        assertEquals(List.of("p.yaml:3:3: process.noNewPrivileges: must be true: this runner always sets no_new_privs, so"
                + " that setuid programs and file capabilities cannot raise privileges inside the sandbox; remove the"
                + " field or set it to true"), yamlErrors(HEAD + "process:\n  noNewPrivileges: false\n"));
    }

    @Test
    void namespacePathsAndMissingUserNamespaceAreRefused() {
        assertEquals(List.of("p.yaml:3:46: linux.namespaces[1].path: joining an existing namespace is not supported: the"
                + " sandbox always creates new namespaces; remove 'path'"),
                yamlErrors(HEAD + "linux:\n  namespaces: [{type: user}, {type: network, path: /run/netns/x}]\n"));
        assertEquals(List.of("p.yaml:3:3: linux.namespaces: must include {type: user}: every other namespace is owned by"
                + " the sandbox's user namespace, and without one the setup would run with the host's root privileges"),
                yamlErrors(HEAD + "linux:\n  namespaces: [{type: pid}]\n"));
    }

    @Test
    void capabilitySetsMustNest() {
        assertEquals(List.of(
                "p.yaml:5:17: process.capabilities.effective[0]: CAP_KILL is effective but not permitted; effective must"
                        + " be a subset of permitted",
                "p.yaml:7:15: process.capabilities.ambient[0]: CAP_CHOWN is ambient but not inheritable; the kernel only"
                        + " keeps ambient capabilities that are both permitted and inheritable",
                "p.yaml:6:17: process.capabilities.permitted[0]: CAP_CHOWN is not in the bounding set; every set must be"
                        + " a subset of bounding",
                "p.yaml:7:15: process.capabilities.ambient[0]: CAP_CHOWN is not in the bounding set; every set must be"
                        + " a subset of bounding"),
                yamlErrors(HEAD + "process:\n  capabilities:\n    bounding: [CAP_KILL]\n"
                        + "    effective: [CAP_KILL]\n    permitted: [CAP_CHOWN]\n    ambient: [CAP_CHOWN]\n"));
        assertEquals(List.of("p.yaml:4:16: process.capabilities.bounding[0]: is not a capability name (CAP_ followed by"
                + " capital letters, digits or '_', e.g. CAP_NET_BIND_SERVICE), got 'cap_kill'"),
                yamlErrors(HEAD + "process:\n  capabilities:\n    bounding: [cap_kill]\n"));
    }

    @Test
    void bindSourcesAndDestinationsMustBeAbsolute() {
        assertEquals(List.of("p.yaml:3:38: mounts[0].source: must be an absolute path (starting with '/'), got 'data'"),
                yamlErrors(HEAD + "mounts:\n  - {destination: /data, type: bind, source: data, options: [ro]}\n"));
        assertEquals(List.of("p.yaml:3:6: mounts[0].destination: must be a normalized absolute path (no '.', '..', '//'"
                + " or trailing '/'), got '/data/../etc'"),
                yamlErrors(HEAD + "mounts:\n  - {destination: /data/../etc, type: bind, source: /srv, options: [rw]}\n"));
        assertEquals(List.of("p.yaml:3:52: mounts[0].options: a bind mount must say exactly one of 'ro' or 'rw'"),
                yamlErrors(HEAD + "mounts:\n  - {destination: /data, type: bind, source: /srv, options: []}\n"));
    }

    @Test
    void nullsAndAnchorsAreRefused() {
        assertEquals(List.of("p.yaml:2:11: hostname: null is not allowed here: write a value, or leave the key out"),
                yamlErrors(HEAD + "hostname: ~\n"));
        assertEquals(List.of("p.yaml:3:14: description: YAML anchors and aliases are not supported; write the value out in"
                + " full"), yamlErrors(HEAD + "hostname: &h box\ndescription: *h\n"));
    }

    @Test
    void apiVersionIsRequiredAndChecked() {
        assertEquals(List.of("p.yaml:1:1: apiVersion: required: write 'apiVersion: sandbox-runner/v1' (the schema this"
                + " runner reads)"), yamlErrors("hostname: box\n"));
        assertEquals(List.of("p.yaml:1:1: apiVersion: unsupported apiVersion 'sandbox-runner/v2'; this runner reads"
                + " sandbox-runner/v1"), yamlErrors("apiVersion: sandbox-runner/v2\n"));
    }

    @Test
    void documentShapeAndSyntax() {
        assertEquals(List.of("p.yaml:1:1: the document is empty; a profile is a mapping that starts with apiVersion"),
                yamlErrors(""));
        assertEquals(List.of("p.yaml:1:1: a profile must be a mapping at the top level, got a list"), yamlErrors("- a\n"));
        assertEquals(List.of("p.yaml:3:1: YAML syntax error: while parsing a flow sequence: expected ',' or ']', but got"
                + " <stream end>"), yamlErrors(HEAD + "degrade: [a\n"));
        assertEquals(List.of("p.json:1:36: syntax error: Unexpected character ('}' (code 125)): was expecting"
                + " double-quote to start field name"), jsonErrors("{\"apiVersion\": \"sandbox-runner/v1\",}"));
    }

    @Test
    void appendNamesListsOnly() {
        assertEquals(List.of("p.yaml:2:10: append[0]: 'hostname' is not a list field; valid: process.env, process.rlimits,"
                + " process.securebits, process.user.additionalGids, process.capabilities.bounding,"
                + " process.capabilities.effective, process.capabilities.inheritable, process.capabilities.permitted,"
                + " process.capabilities.ambient, linux.namespaces, linux.uidMappings, linux.gidMappings,"
                + " linux.maskedPaths, linux.readonlyPaths, linux.seccomp.architectures, linux.seccomp.flags,"
                + " linux.seccomp.syscalls, mounts, filesystem.hostReadOnly, degrade"),
                yamlErrors(HEAD + "append: [hostname]\n"));
    }

    @Test
    void everyErrorOfADocumentIsReported() {
        List<String> errors = yamlErrors(HEAD + "hostname: -bad-\nlimits:\n  cpuTimeMs: -1\n"
                + "filesystem:\n  box: box\n");
        assertEquals(3, errors.size(), String.join("\n", errors));
        assertEquals("p.yaml:2:1: hostname: must be a host name (letters, digits and '-' in dot-separated labels, at most"
                + " 64 characters, RFC 1123), got '-bad-'", errors.get(0));
    }

    @Test
    void extendsCycleNamesTheChain(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yaml"), HEAD + "extends: ./b.yaml\n");
        Files.writeString(dir.resolve("b.yaml"), HEAD + "extends: ./a.yaml\n");
        ProfileException e = assertThrows(ProfileException.class, () -> loader.loadFile(dir.resolve("a.yaml")));
        assertEquals(List.of(dir.resolve("b.yaml") + ":2:1: extends: extends cycle: " + dir.resolve("a.yaml") + " -> "
                + dir.resolve("b.yaml") + " -> " + dir.resolve("a.yaml")), formatted(e));
    }

    @Test
    void missingParentNamesTheChain(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yaml"), HEAD + "extends: ./b.yaml\n");
        Files.writeString(dir.resolve("b.yaml"), HEAD + "extends: strict\n");
        ProfileException e = assertThrows(ProfileException.class, () -> loader.loadFile(dir.resolve("a.yaml")));
        assertEquals(List.of(dir.resolve("b.yaml") + ":2:1: extends: no built-in profile named 'strict'; built-in"
                + " profiles: ; a file path needs a '/' or a .yaml, .yml or .json name (chain: " + dir.resolve("a.yaml")
                + " -> " + dir.resolve("b.yaml") + " -> builtin:strict)"), formatted(e));
        Files.writeString(dir.resolve("b.yaml"), HEAD + "extends: ../nowhere/c.yaml\n");
        e = assertThrows(ProfileException.class, () -> loader.loadFile(dir.resolve("a.yaml")));
        assertEquals(List.of(dir.resolve("b.yaml") + ":2:1: extends: parent profile " + dir.resolve("../nowhere/c.yaml").normalize()
                + " does not exist (chain: " + dir.resolve("a.yaml") + " -> " + dir.resolve("b.yaml") + " -> "
                + dir.resolve("../nowhere/c.yaml").normalize() + ")"), formatted(e));
    }

    @Test
    void aChildMayNotLoosenItsParentsLimitsUnlessItSaysSo(@TempDir Path dir) throws IOException, ProfileException {
        Files.writeString(dir.resolve("base.yaml"), HEAD + "limits: {wallTimeMs: 20000}\n"
                + "linux:\n  resources:\n    pids: {limit: 64}\n");
        Files.writeString(dir.resolve("child.yaml"), HEAD + "extends: ./base.yaml\nlimits: {wallTimeMs: 60000}\n"
                + "linux:\n  namespaces: [{type: user}, {type: pid}]\n");
        ProfileException e = assertThrows(ProfileException.class, () -> loader.loadFile(dir.resolve("child.yaml")));
        String child = dir.resolve("child.yaml").toString();
        assertEquals(List.of(
                child + ":3:10: limits.wallTimeMs: 60000 ms is looser than the 20000 ms of parent 'base'; a profile that"
                        + " extends another may only tighten, unless it says 'loosen: true'",
                child + ":5:3: linux.namespaces: drops the mount namespace that parent 'base' creates; a profile that"
                        + " extends another may only tighten, unless it says 'loosen: true'",
                child + ":5:3: linux.namespaces: drops the ipc namespace that parent 'base' creates; a profile that"
                        + " extends another may only tighten, unless it says 'loosen: true'",
                child + ":5:3: linux.namespaces: drops the uts namespace that parent 'base' creates; a profile that"
                        + " extends another may only tighten, unless it says 'loosen: true'",
                child + ":5:3: linux.namespaces: drops the network namespace that parent 'base' creates; a profile that"
                        + " extends another may only tighten, unless it says 'loosen: true'",
                child + ":5:3: linux.namespaces: drops the cgroup namespace that parent 'base' creates; a profile that"
                        + " extends another may only tighten, unless it says 'loosen: true'"), formatted(e));
        Files.writeString(dir.resolve("child.yaml"), HEAD + "extends: ./base.yaml\nloosen: true\n"
                + "limits: {wallTimeMs: 60000}\n");
        assertEquals(60000, loader.loadFile(dir.resolve("child.yaml")).limits().wallTimeMs().getAsLong());
    }

    private static List<String> formatted(ProfileException e) {
        return e.errors().stream().map(ProfileError::format).toList();
    }
}
