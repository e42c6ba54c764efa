package org.sandboxrunner.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sandboxrunner.policy.CanonicalProfile;
import org.sandboxrunner.policy.IdMapping;
import org.sandboxrunner.policy.NamespaceType;
import org.sandboxrunner.policy.Profile;
import org.sandboxrunner.policy.ProfileException;
import org.sandboxrunner.policy.ProfileHash;
import org.sandboxrunner.policy.RlimitSpec;
import org.sandboxrunner.policy.SeccompAction;
import org.sandboxrunner.policy.SeccompArg;
import org.sandboxrunner.policy.SeccompOperator;
import org.sandboxrunner.policy.SeccompSpec;
import org.sandboxrunner.policy.SyscallRule;

class BuiltinProfilesTest {

    private static final long MIB = 1L << 20;

    static List<String> names() {
        return BuiltinProfiles.names();
    }

    @ParameterizedTest
    @MethodSource("names")
    void everyBuiltinLoadsValidatesAndRoundTrips(String name) throws ProfileException {
        Profile profile = BuiltinProfiles.loader().load(name);
        assertEquals(name, profile.name());
        assertFalse(profile.description().isBlank(), "a one-line description for `sandbox profile list`");
        String canonical = CanonicalProfile.render(profile);
        assertEquals(profile, CanonicalProfile.parse(canonical));
        assertEquals(ProfileHash.of(profile), ProfileHash.of(CanonicalProfile.parse(canonical)));
    }

    @Test
    void listsEveryBuiltinWithItsDescription() {
        List<BuiltinProfiles.Entry> entries = BuiltinProfiles.list();
        assertEquals(List.of("default", "grader-c", "grader-python", "grader-java", "batch"),
                entries.stream().map(BuiltinProfiles.Entry::name).toList());
        assertTrue(entries.get(0).description().startsWith("Strict sandbox for untrusted code"));
        assertEquals(Optional.empty(), BuiltinProfiles.yaml("nope"));
    }

    @Test
    void theDefaultProfileIsExactlyTheStrictOne() throws ProfileException {
        Profile p = BuiltinProfiles.loader().load("default");
        assertEquals(EnumSet.allOf(NamespaceType.class), p.linux().namespaces());
        assertEquals(List.of(new IdMapping(0, 100000, 65536)), p.linux().uidMappings());
        assertEquals(List.of(new IdMapping(0, 100000, 65536)), p.linux().gidMappings());
        assertEquals(1000, p.process().user().uid());
        assertEquals(1000, p.process().user().gid());
        assertEquals(0022, p.process().user().umask());
        assertEquals(List.of(), p.process().user().additionalGids());
        assertEquals(List.of("PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/box", "LANG=C.UTF-8"), p.process().env());
        assertEquals("/box", p.process().cwd());
        var caps = p.process().capabilities();
        assertEquals(List.of(), caps.bounding());
        assertEquals(List.of(), caps.effective());
        assertEquals(List.of(), caps.inheritable());
        assertEquals(List.of(), caps.permitted());
        assertEquals(List.of(), caps.ambient());
        assertEquals(List.of(
                new RlimitSpec("RLIMIT_CORE", 0, 0),
                new RlimitSpec("RLIMIT_NOFILE", 256, 256),
                new RlimitSpec("RLIMIT_FSIZE", 64 * MIB, 64 * MIB),
                new RlimitSpec("RLIMIT_STACK", 8 * MIB, 8 * MIB),
                new RlimitSpec("RLIMIT_MEMLOCK", 0, 0)), p.process().rlimits());
        assertTrue(p.process().noNewPrivileges());
        assertEquals("sandbox", p.hostname());
        assertEquals(List.of("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/etc"), p.filesystem().hostReadOnly());
        assertEquals("/box", p.filesystem().box());
        assertEquals(64 * MIB, p.filesystem().tmpSizeBytes());
        assertEquals(List.of("/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/kmsg", "/proc/latency_stats", "/proc/timer_list",
                "/proc/sched_debug", "/proc/scsi", "/etc/shadow", "/etc/gshadow", "/etc/shadow-", "/etc/gshadow-",
                "/etc/ssh", "/etc/sudoers", "/etc/sudoers.d", "/etc/security/opasswd"), p.linux().maskedPaths());
        assertEquals(List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"),
                p.linux().readonlyPaths());
        assertEquals(OptionalLong.of(256 * MIB), p.linux().resources().memoryLimitBytes());
        assertEquals(OptionalLong.of(256 * MIB), p.linux().resources().memorySwapBytes());
        assertEquals(OptionalLong.of(64), p.linux().resources().pidsLimit());
        assertEquals(OptionalLong.of(10000), p.limits().cpuTimeMs());
        assertEquals(OptionalLong.of(20000), p.limits().wallTimeMs());
        assertEquals(OptionalLong.of(64 * MIB), p.limits().outputBytes());
        assertEquals(Optional.empty(), p.image());
        assertEquals(EnumSet.noneOf(org.sandboxrunner.policy.Degradation.class), p.degrade());

        SeccompSpec seccomp = p.linux().seccomp().orElseThrow();
        assertEquals(SeccompAction.SCMP_ACT_ERRNO, seccomp.defaultAction());
        assertEquals(OptionalInt.of(38), seccomp.defaultErrnoRet());
        assertEquals(List.of("SCMP_ARCH_X86_64"), seccomp.architectures());
    }

    @Test
    void theDefaultFilterDeniesEachDangerousGroupWithEperm() throws ProfileException {
        SeccompSpec seccomp = BuiltinProfiles.loader().load("default").linux().seccomp().orElseThrow();
        for (String name : List.of("unshare", "setns", "mount", "umount2", "pivot_root", "move_mount", "open_tree",
                "fsopen", "fsmount", "fsconfig", "fspick", "mount_setattr", "ptrace", "process_vm_readv",
                "process_vm_writev", "bpf", "perf_event_open", "keyctl", "add_key", "request_key", "io_uring_setup",
                "io_uring_enter", "io_uring_register", "userfaultfd", "kexec_load", "kexec_file_load", "init_module",
                "finit_module", "delete_module", "reboot", "swapon", "swapoff", "acct", "quotactl", "flock")) {
            List<SyscallRule> rules = rulesFor(seccomp, name);
            assertEquals(1, rules.size(), name + " has one rule");
            assertEquals(SeccompAction.SCMP_ACT_ERRNO, rules.get(0).action(), name);
            assertEquals(OptionalInt.of(1), rules.get(0).errnoRet(), name + " gets EPERM");
            assertEquals(List.of(), rules.get(0).args(), name + " is denied whatever its arguments");
        }
        assertFalse(seccomp.syscalls().stream().anyMatch(r -> r.names().contains("clone3")),
                "clone3 falls to the ENOSYS default so glibc uses clone");
        // TIOCSTI and AF_VSOCK are compared on the low 32 bits, as the kernel reads them.
        assertDenied(seccomp, "ioctl", new SeccompArg(1, 0xffffffffL, 0x5412, SeccompOperator.SCMP_CMP_MASKED_EQ));
        assertDenied(seccomp, "socket", new SeccompArg(0, 0xffffffffL, 40, SeccompOperator.SCMP_CMP_MASKED_EQ));
        for (long cmd : new long[] {5, 6, 7, 36, 37, 38}) {
            assertDenied(seccomp, "fcntl", new SeccompArg(1, 0xffffffffL, cmd, SeccompOperator.SCMP_CMP_MASKED_EQ));
        }
        for (long flag : new long[] {0x20000, 0x2000000, 0x4000000, 0x8000000, 0x10000000, 0x20000000, 0x40000000}) {
            assertDenied(seccomp, "clone", new SeccompArg(0, flag, flag, SeccompOperator.SCMP_CMP_MASKED_EQ));
        }
        SyscallRule personality = rulesFor(seccomp, "personality").get(0);
        assertEquals(SeccompAction.SCMP_ACT_ALLOW, personality.action());
        assertEquals(List.of(0L, 8L, 0x20000L, 0x20008L, 0xffffffffL),
                personality.args().stream().map(SeccompArg::value).toList());
    }

    /**
     * The ALLOW conditions of ioctl hold exactly when the request's low 32 bits differ from TIOCSTI,
     * the complement of the EPERM rule: no overlap for libseccomp to resolve by its own order.
     */
    @Test
    void ioctlAllowAndDenyRulesAreExactComplements() throws ProfileException {
        SeccompSpec seccomp = BuiltinProfiles.loader().load("default").linux().seccomp().orElseThrow();
        List<SyscallRule> rules = rulesFor(seccomp, "ioctl");
        SyscallRule allow = rules.stream().filter(r -> r.action() == SeccompAction.SCMP_ACT_ALLOW).findFirst().orElseThrow();
        long[] requests = {0x5412, 0x1_0000_5412L, 0x5413, 0x541B, 0x5401, 0xC0185879L, 0, 0xffffffffL, 0x5412 ^ 0x8000_0000L};
        for (long request : requests) {
            boolean allowed = allow.args().stream().anyMatch(a -> (request & a.value()) == a.valueTwo());
            assertEquals((request & 0xffffffffL) != 0x5412, allowed, Long.toHexString(request));
        }
    }

    @Test
    void graderProfilesGiveTheirRuntimesRoom() throws ProfileException {
        var loader = BuiltinProfiles.loader();
        Profile c = loader.load("grader-c");
        assertEquals(OptionalLong.of(128), c.linux().resources().pidsLimit());
        assertEquals(OptionalLong.of(512 * MIB), c.linux().resources().memoryLimitBytes());
        Profile python = loader.load("grader-python");
        assertTrue(python.process().env().contains("PYTHONDONTWRITEBYTECODE=1"));
        assertTrue(python.process().env().contains("PATH=/usr/local/bin:/usr/bin:/bin"), "appended to default's env");
        Profile java = loader.load("grader-java");
        assertTrue(java.linux().resources().pidsLimit().getAsLong() >= 256);
        assertTrue(java.linux().resources().memoryLimitBytes().getAsLong() >= 1024 * MIB);
        assertEquals(new RlimitSpec("RLIMIT_NOFILE", 4096, 4096), java.process().rlimits().get(1));
        assertTrue(java.filesystem().hostReadOnly().contains("/usr"), "/usr/lib/jvm is visible");
        Profile batch = loader.load("batch");
        assertTrue(batch.linux().namespaces().contains(NamespaceType.NETWORK), "no network unless a profile says so");
        assertEquals(OptionalLong.of(3_600_000), batch.limits().cpuTimeMs());
        // Every built-in keeps the default's seccomp filter.
        SeccompSpec strict = loader.load("default").linux().seccomp().orElseThrow();
        for (String name : BuiltinProfiles.names()) {
            assertEquals(strict, loader.load(name).linux().seccomp().orElseThrow(), name);
        }
    }

    private static List<SyscallRule> rulesFor(SeccompSpec seccomp, String name) {
        return seccomp.syscalls().stream().filter(r -> r.names().contains(name)).toList();
    }

    private static void assertDenied(SeccompSpec seccomp, String name, SeccompArg condition) {
        assertTrue(rulesFor(seccomp, name).stream().anyMatch(r -> r.action() == SeccompAction.SCMP_ACT_ERRNO
                && r.errnoRet().equals(OptionalInt.of(1)) && r.args().contains(condition)), name + " " + condition);
    }
}
