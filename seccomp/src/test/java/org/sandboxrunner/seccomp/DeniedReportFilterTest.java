package org.sandboxrunner.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sandboxrunner.seccomp.Specs.allowBy;
import static org.sandboxrunner.seccomp.Specs.eq;
import static org.sandboxrunner.seccomp.Specs.errno;
import static org.sandboxrunner.seccomp.Specs.rule;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sandboxrunner.policy.SeccompAction;

/** The notifying copy decides like the original except that ERRNO and KILL_PROCESS notify; the sendmsg guard. */
class DeniedReportFilterTest {
    private static final int AUDIT_ARCH_X86_64 = 0xc000003e, AUDIT_ARCH_I386 = 0x40000003, X32_BIT = 0x4000_0000;
    private final SeccompCompiler compiler = SeccompCompiler.create();
    private final SyscallNames names = SyscallNames.create();

    @Test
    void theCopyNotifiesExactlyWhereTheOriginalRefusesWithErrnoOrKillProcess() {
        CompiledFilter filter = compiler.compile(allowBy(errno(5, "chroot"), rule(SeccompAction.SCMP_ACT_KILL_PROCESS, "getppid"),
                rule(SeccompAction.SCMP_ACT_TRAP, "getpid"), rule(SeccompAction.SCMP_ACT_KILL_THREAD, "gettid"),
                rule(SeccompAction.SCMP_ACT_LOG, "uname"), errno(7, "mkdirat", eq(0, 3))));
        BpfProgram copy = BpfProgram.parse(DeniedReportFilter.notifyingCopy(filter.bytes(), true));
        int notified = 0;
        for (int arch : new int[] {AUDIT_ARCH_X86_64, AUDIT_ARCH_I386}) {
            for (int nr = 0; nr < 460; nr++) {
                for (long arg0 : new long[] {0, 3}) {
                    SeccompData d = SeccompData.of(arch, nr, arg0);
                    int original = filter.program().evaluate(d);
                    int kind = original & SeccompActions.ACTION_MASK;
                    boolean refused = kind == SeccompActions.ERRNO || original == SeccompActions.KILL_PROCESS;
                    assertEquals(refused ? SeccompActions.NOTIFY : original, copy.evaluate(d),
                            () -> "arch 0x" + Integer.toHexString(arch) + " nr " + d.nr() + " arg0 " + arg0);
                    notified += refused ? 1 : 0;
                }
            }
        }
        // chroot and getppid twice, mkdirat once on x86_64; all 920 i386 probes (bad architecture).
        assertEquals(5 + 920, notified);
        int x32 = copy.evaluate(SeccompData.of(AUDIT_ARCH_X86_64, X32_BIT | 39));
        assertEquals(SeccompActions.NOTIFY, x32, "x32 calls are killed by the architecture check, so they notify");
    }

    @Test
    void killsStayTheKernelsWhereTheWorkloadCouldStackAFilterOfItsOwn() {
        CompiledFilter open = compiler.compile(allowBy(rule(SeccompAction.SCMP_ACT_KILL_PROCESS, "getppid"), errno(5, "chroot")));
        assertTrue(DeniedReportFilter.allowsStacking(open, names), "seccomp(2) and prctl(2) are allowed");
        CompiledFilter noSeccomp = compiler.compile(allowBy(rule(SeccompAction.SCMP_ACT_KILL_PROCESS, "getppid"),
                errno(1, "seccomp"), errno(1, "prctl", eq(0, 22))));
        assertFalse(DeniedReportFilter.allowsStacking(noSeccomp, names));
        CompiledFilter prctlOnly = compiler.compile(allowBy(errno(1, "seccomp")));
        assertTrue(DeniedReportFilter.allowsStacking(prctlOnly, names), "prctl(PR_SET_SECCOMP) still loads a filter");

        int getppid = names.resolve("getppid", "SCMP_ARCH_X86_64"), chroot = names.resolve("chroot", "SCMP_ARCH_X86_64");
        BpfProgram kept = BpfProgram.parse(DeniedReportFilter.notifyingCopy(open.bytes(), false));
        assertEquals(SeccompActions.KILL_PROCESS, kept.evaluate(SeccompData.of(AUDIT_ARCH_X86_64, getppid)));
        assertEquals(SeccompActions.NOTIFY, kept.evaluate(SeccompData.of(AUDIT_ARCH_X86_64, chroot)), "ERRNO still notifies");
        assertEquals(SeccompActions.KILL_PROCESS, kept.evaluate(SeccompData.of(AUDIT_ARCH_I386, 20)), "bad architecture");
    }

    @Test
    void theReportIsOffWhenTheFilterDoesNotAllowSendmsgForEveryDescriptor() {
        assertEquals(Optional.empty(), DeniedReportFilter.blocker(compiler.compile(allowBy(errno(1, "chroot"))), names));
        String denied = DeniedReportFilter.blocker(compiler.compile(allowBy(errno(1, "sendmsg"))), names).orElseThrow();
        assertEquals("the profile's filter does not allow sendmsg on SCMP_ARCH_X86_64 (SCMP_ACT_ERRNO(1) for sendmsg(0, 0x0, 0)),"
                + " which hands the seccomp listener to the supervisor", denied);
        String onFd5 = DeniedReportFilter.blocker(compiler.compile(allowBy(errno(1, "sendmsg", eq(0, 5)))), names).orElseThrow();
        assertTrue(onFd5.contains("sendmsg(5, 0x0, 0)"), onFd5);
    }

    @Test
    void architecturesComeFromTheAuditValueAndTheX32Bit() {
        assertEquals(Optional.of(Architecture.SCMP_ARCH_X86_64), names.architecture(AUDIT_ARCH_X86_64, 39));
        assertEquals(Optional.of(Architecture.SCMP_ARCH_X32), names.architecture(AUDIT_ARCH_X86_64, X32_BIT | 39));
        assertEquals(Optional.of(Architecture.SCMP_ARCH_X86), names.architecture(AUDIT_ARCH_I386, 20));
        assertEquals(Optional.of("getpid"), names.name(X32_BIT | 39, "SCMP_ARCH_X32"));
        assertEquals(Optional.empty(), names.architecture(0x1234, 1));
    }
}
