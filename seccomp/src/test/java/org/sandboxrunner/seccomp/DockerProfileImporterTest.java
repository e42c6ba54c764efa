package org.sandboxrunner.seccomp;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sandboxrunner.policy.SeccompAction;
import org.sandboxrunner.policy.SeccompArg;
import org.sandboxrunner.policy.SeccompOperator;
import org.sandboxrunner.policy.SeccompSpec;
import org.sandboxrunner.policy.SyscallRule;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DockerProfileImporterTest {
    private static final KernelVersion KERNEL = new KernelVersion(6, 1);
    private static final String X86_64 = "SCMP_ARCH_X86_64";
    private static SyscallNames names;

    @BeforeAll
    static void bind() {
        names = SyscallNames.create();
    }

    private static boolean names(SeccompSpec spec, String name, SeccompAction action) {
        return spec.syscalls().stream().anyMatch(r -> r.action() == action && r.names().contains(name));
    }

    private static List<SyscallRule> rulesFor(SeccompSpec spec, String name) {
        return spec.syscalls().stream().filter(r -> r.names().contains(name)).toList();
    }

    @Test
    void dockerDefaultForAnEmptyBoundingSetOnX86_64() {
        SeccompSpec spec = DockerProfileImporter.importProfile(PublishedProfiles.docker(), Set.of(), KERNEL, X86_64);
        assertEquals(SeccompAction.SCMP_ACT_ERRNO, spec.defaultAction());
        assertEquals(OptionalInt.of(1), spec.defaultErrnoRet());
        assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), spec.architectures(), "archMap of amd64");
        assertEquals(SeccompSpec.UnknownSyscalls.SKIP, spec.unknownSyscalls());
        assertTrue(names(spec, "read", SeccompAction.SCMP_ACT_ALLOW));
        assertTrue(names(spec, "ptrace", SeccompAction.SCMP_ACT_ALLOW), "includes minKernel 4.8 holds on 6.1");
        assertTrue(names(spec, "arch_prctl", SeccompAction.SCMP_ACT_ALLOW), "includes arches amd64");
        assertFalse(names(spec, "s390_pci_mmio_read", SeccompAction.SCMP_ACT_ALLOW), "includes arches s390 only");
        assertFalse(names(spec, "bpf", SeccompAction.SCMP_ACT_ALLOW), "includes caps CAP_SYS_ADMIN");
        assertFalse(names(spec, "unshare", SeccompAction.SCMP_ACT_ALLOW));
        assertEquals(List.of(new SyscallRule(List.of("clone3"), SeccompAction.SCMP_ACT_ERRNO, OptionalInt.of(38), List.of())),
                rulesFor(spec, "clone3"), "excludes caps CAP_SYS_ADMIN: not excluded for an empty set");
        assertEquals(List.of(new SyscallRule(List.of("clone"), SeccompAction.SCMP_ACT_ALLOW, OptionalInt.empty(),
                        List.of(new SeccompArg(0, 2114060288L, 0, SeccompOperator.SCMP_CMP_MASKED_EQ)))),
                rulesFor(spec, "clone"), "only the non-s390 clone rule, with namespace flags masked out");
    }

    @Test
    void capabilitiesKernelAndArchitectureChooseTheRules() {
        SeccompSpec admin = DockerProfileImporter.importProfile(PublishedProfiles.docker(), Set.of("CAP_SYS_ADMIN"), KERNEL, X86_64);
        assertTrue(names(admin, "bpf", SeccompAction.SCMP_ACT_ALLOW));
        assertTrue(rulesFor(admin, "clone3").stream().allMatch(r -> r.action() == SeccompAction.SCMP_ACT_ALLOW));
        assertTrue(rulesFor(admin, "clone").stream().anyMatch(r -> r.args().isEmpty()), "unconditional clone with CAP_SYS_ADMIN");

        SeccompSpec old = DockerProfileImporter.importProfile(PublishedProfiles.docker(), Set.of(), new KernelVersion(4, 7), X86_64);
        assertFalse(names(old, "ptrace", SeccompAction.SCMP_ACT_ALLOW), "minKernel 4.8 fails on 4.7");

        SeccompSpec arm64 = DockerProfileImporter.importProfile(PublishedProfiles.docker(), Set.of(), KERNEL, "SCMP_ARCH_AARCH64");
        assertEquals(List.of("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"), arm64.architectures());
        assertTrue(names(arm64, "arm_fadvise64_64", SeccompAction.SCMP_ACT_ALLOW));
        assertFalse(names(arm64, "arch_prctl", SeccompAction.SCMP_ACT_ALLOW));
    }

    @Test
    void podmanDefaultWithErrnoNames() {
        SeccompSpec spec = DockerProfileImporter.importProfile(PublishedProfiles.podman(), Set.of(), KERNEL, X86_64);
        assertEquals(OptionalInt.of(38), spec.defaultErrnoRet(), "defaultErrnoRet 38 and defaultErrno ENOSYS agree");
        assertTrue(names(spec, "chroot", SeccompAction.SCMP_ACT_ERRNO), "excludes caps CAP_SYS_CHROOT: EPERM rule kept");
        assertFalse(names(spec, "chroot", SeccompAction.SCMP_ACT_ALLOW));
        assertEquals(OptionalInt.of(1), rulesFor(spec, "chroot").get(0).errnoRet());
        assertEquals(4, rulesFor(spec, "socket").size(), "the four rules excluded by CAP_AUDIT_WRITE stay, the one it includes goes");
    }

    @Test
    void bothPublishedProfilesCompileAndDecideAsDockerDocuments() {
        SeccompCompiler compiler = SeccompCompiler.create();
        CompiledFilter docker = compiler.compile(DockerProfileImporter.importProfile(PublishedProfiles.docker(), Set.of(),
                KernelVersion.running(), compiler.nativeArchitecture().ociName()));
        CompiledFilter podman = compiler.compile(DockerProfileImporter.importProfile(PublishedProfiles.podman(), Set.of(),
                KernelVersion.running(), compiler.nativeArchitecture().ociName()));
        for (CompiledFilter filter : List.of(docker, podman)) {
            assertEquals(List.of(Architecture.SCMP_ARCH_X86_64, Architecture.SCMP_ARCH_X86, Architecture.SCMP_ARCH_X32),
                    filter.architectures());
            for (String skipped : filter.skippedSyscalls()) {
                assertThrows(SeccompException.class, () -> names.resolve(skipped, X86_64), skipped + " is unknown to libseccomp");
            }
        }
        BpfProgram program = docker.program();
        int x8664 = names.archToken(X86_64);
        int x86 = names.archToken("SCMP_ARCH_X86");
        assertEquals(SeccompActions.ALLOW, program.evaluate(SeccompData.of(x8664, names.resolve("read", X86_64))));
        assertEquals(SeccompActions.ALLOW, program.evaluate(SeccompData.of(x86, names.resolve("read", "SCMP_ARCH_X86"))));
        assertEquals(SeccompActions.ERRNO | 1, program.evaluate(SeccompData.of(x8664, names.resolve("unshare", X86_64))));
        assertEquals(SeccompActions.ERRNO | 38, program.evaluate(SeccompData.of(x8664, names.resolve("clone3", X86_64))));
        long cloneNewUser = 0x1000_0000L;
        assertEquals(SeccompActions.ERRNO | 1, program.evaluate(SeccompData.of(x8664, names.resolve("clone", X86_64), cloneNewUser)));
        assertEquals(SeccompActions.ALLOW, program.evaluate(SeccompData.of(x8664, names.resolve("clone", X86_64), 0x11)));
        long afVsock = 40;
        assertEquals(SeccompActions.ERRNO | 1, program.evaluate(SeccompData.of(x8664, names.resolve("socket", X86_64), afVsock)));
        assertEquals(SeccompActions.ALLOW, program.evaluate(SeccompData.of(x8664, names.resolve("socket", X86_64), 1)));

        BpfProgram podmanProgram = podman.program();
        assertEquals(SeccompActions.ERRNO | 38, podmanProgram.evaluate(SeccompData.of(x8664, 1000)));
        assertEquals(SeccompActions.ERRNO | 1, podmanProgram.evaluate(SeccompData.of(x8664, names.resolve("chroot", X86_64))));
    }

    private static SeccompException refused(String json) {
        return assertThrows(SeccompException.class, () -> DockerProfileImporter.importProfile(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), Set.of(), KERNEL, X86_64));
    }

    /** A profile whose only entry allows {@code read}, with {@code fields} added to that entry. */
    private static SeccompException refusedEntry(String fields) {
        return refused("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
                + fields + "}]}");
    }

    private static SeccompSpec imported(String json) {
        return DockerProfileImporter.importProfile(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), Set.of(),
                KERNEL, X86_64);
    }

    @Test
    void badProfilesAreRefusedWithTheirPlace() {
        assertTrue(refused("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"nmes\":[\"read\"]}]}").getMessage()
                .startsWith("syscalls[0].nmes: Unrecognized field \"nmes\""));
        assertTrue(refused("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[]}")
                .getMessage().contains("Duplicate field 'defaultAction'"));
        assertTrue(refused("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[]} {}").getMessage().contains("Trailing token"));
        assertEquals("defaultAction: is required",
                refused("{\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}]}").getMessage());
        assertEquals("defaultErrno: unknown errno name 'ENOPE'",
                refused("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrno\":\"ENOPE\",\"syscalls\":[]}").getMessage());
        assertTrue(refused("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"listenerPath\":\"/run/agent.sock\",\"syscalls\":[]}")
                .getMessage().startsWith("listenerPath: an external seccomp agent is not supported"));
        assertEquals("architectures and archMap are both given; use one of them",
                refused("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86\"],"
                        + "\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\",\"subArchitectures\":null}],\"syscalls\":[]}").getMessage());

        assertTrue(entry("\"args\":[{\"index\":\"1\",\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]").startsWith("syscalls[0].args[0].index: "),
                "a string is not a number");
        assertEquals("syscalls[0]: name and names are both given; use one of them", entry("\"name\":\"write\""));
        assertEquals("syscalls[0].excludes.minKernel: '4' is not <kernel>.<major> (for example \"4.8\")",
                entry("\"excludes\":{\"minKernel\":\"4\"}"));
        assertEquals("syscalls[0].args[0].value: must be an unsigned 64-bit number, got 18446744073709551616",
                entry("\"args\":[{\"index\":0,\"value\":18446744073709551616,\"op\":\"SCMP_CMP_EQ\"}]"));
        assertEquals("syscalls[0].args[0].index: must be between 0 and 5, got 6",
                entry("\"args\":[{\"index\":6,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]"));
        assertTrue(entry("\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_SIMILAR\"}]")
                .startsWith("syscalls[0].args[0].op: unknown operator 'SCMP_CMP_SIMILAR'"));
        assertEquals("syscalls[0]: errnoRet is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not SCMP_ACT_ALLOW",
                entry("\"errnoRet\":1"));
        assertTrue(entry("\"includes\":{\"caps\":[null]}").startsWith("syscalls[0].includes.caps[0]: is required"));
        assertEquals("syscalls[0].errnoRet is 1 but syscalls[0].errno is ENOSYS (38)",
                refused("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\","
                        + "\"errnoRet\":1,\"errno\":\"ENOSYS\"}]}").getMessage());
    }

    /** The message for a profile whose one entry allows {@code read} and has {@code fields} besides. */
    private static String entry(String fields) {
        return refused("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
                + fields + "}]}").getMessage();
    }

    @Test
    void goZeroValuesAndNamesAreAccepted() {
        SeccompSpec spec = imported("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrno\":\"ENOSYS\",\"syscalls\":["
                + "{\"name\":\"read\",\"action\":\"SCMP_ACT_ERRNO\",\"errno\":\"EACCES\",\"args\":null,\"comment\":\"\","
                + "\"includes\":{},\"excludes\":{}},"
                + "{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":4294967295,\"op\":\"SCMP_CMP_EQ\"}]},"
                + "{\"names\":[\"ioctl\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":1,\"value\":18446744073709551615,"
                + "\"valueTwo\":21522,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}");
        assertEquals(OptionalInt.of(38), spec.defaultErrnoRet());
        assertEquals(List.of(
                new SyscallRule(List.of("read"), SeccompAction.SCMP_ACT_ERRNO, OptionalInt.of(13), List.of()),
                new SyscallRule(List.of("personality"), SeccompAction.SCMP_ACT_ALLOW, OptionalInt.empty(),
                        List.of(new SeccompArg(0, 0xffff_ffffL, 0, SeccompOperator.SCMP_CMP_EQ))),
                new SyscallRule(List.of("ioctl"), SeccompAction.SCMP_ACT_ERRNO, OptionalInt.empty(),
                        List.of(new SeccompArg(1, -1L, 21522, SeccompOperator.SCMP_CMP_MASKED_EQ)))), spec.syscalls());
        assertEquals(List.of(), spec.architectures(), "no archMap: the native architecture only");
    }

    @Test
    void aFileNamesItselfInErrors() {
        java.nio.file.Path bad = TestPrograms.tempFile("profile", "{\"defaultAction\":\"SCMP_ACT_NOPE\",\"syscalls\":[]}"
                .getBytes(StandardCharsets.UTF_8));
        SeccompException named = assertThrows(SeccompException.class,
                () -> DockerProfileImporter.importProfile(bad, Set.of(), KERNEL, X86_64));
        assertTrue(named.getMessage().startsWith(bad + ": defaultAction: unknown action 'SCMP_ACT_NOPE'"), named.getMessage());
    }
}
