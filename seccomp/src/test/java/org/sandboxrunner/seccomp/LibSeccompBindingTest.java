package org.sandboxrunner.seccomp;

import org.junit.jupiter.api.Test;
import org.sandboxrunner.policy.SeccompOperator;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JNA binding itself: errors as libseccomp reports them, release and close discipline, read-back. */
class LibSeccompBindingTest {
    private final LibSeccomp lib = JnaLibSeccomp.load();

    @Test
    void libseccompErrorsNameTheCallAndStrerror() {
        try (LibSeccomp.FilterContext ctx = lib.newFilter(SeccompActions.ALLOW)) {
            int getppid = lib.resolveSyscall(lib.nativeArchToken(), "getppid");
            // libseccomp refuses two comparisons of one argument in one rule with -EINVAL.
            LibSeccompException e = assertThrows(LibSeccompException.class, () -> ctx.addRule("getppid", getppid,
                    SeccompActions.ERRNO | 1, List.of(new ArgCondition(0, SeccompOperator.SCMP_CMP_EQ, 1, 0),
                            new ArgCondition(0, SeccompOperator.SCMP_CMP_EQ, 2, 0))));
            assertEquals("seccomp_rule_add_array(getppid, SCMP_ACT_ERRNO(1), a0 EQ 1 && a0 EQ 2): Invalid argument", e.getMessage());
            assertEquals(22, e.errno());
            assertEquals("seccomp_rule_add_array(getppid, SCMP_ACT_ERRNO(1), a0 EQ 1 && a0 EQ 2)", e.call());

            // A rule whose action is the filter's default is refused by libseccomp (-EACCES); the compiler never sends one.
            LibSeccompException same = assertThrows(LibSeccompException.class,
                    () -> ctx.addRule("getppid", getppid, SeccompActions.ALLOW, List.of()));
            assertEquals("seccomp_rule_add_array(getppid, SCMP_ACT_ALLOW): Permission denied", same.getMessage());
        }
    }

    @Test
    void attributesAreReadBack() {
        try (LibSeccomp.FilterContext ctx = lib.newFilter(SeccompActions.ERRNO | 38)) {
            assertEquals(SeccompActions.ERRNO | 38, ctx.attribute(FilterAttribute.SCMP_FLTATR_ACT_DEFAULT));
            assertEquals(1, ctx.attribute(FilterAttribute.SCMP_FLTATR_CTL_NNP), "libseccomp's default");
            ctx.setAttribute(FilterAttribute.SCMP_FLTATR_CTL_NNP, 0);
            assertEquals(0, ctx.attribute(FilterAttribute.SCMP_FLTATR_CTL_NNP));
            ctx.setAttribute(FilterAttribute.SCMP_FLTATR_ACT_BADARCH, SeccompActions.KILL_PROCESS);
            assertEquals(SeccompActions.KILL_PROCESS, ctx.attribute(FilterAttribute.SCMP_FLTATR_ACT_BADARCH));
        }
    }

    @Test
    void architecturesAreAddedOnce() {
        int x86 = lib.archToken("x86").orElseThrow();
        try (LibSeccomp.FilterContext ctx = lib.newFilter(SeccompActions.ALLOW)) {
            assertTrue(ctx.hasArch(lib.nativeArchToken()), "seccomp_init adds the native architecture");
            assertFalse(ctx.hasArch(x86));
            ctx.addArch(x86, "x86");
            assertTrue(ctx.hasArch(x86));
            LibSeccompException e = assertThrows(LibSeccompException.class, () -> ctx.addArch(x86, "x86"));
            assertEquals("seccomp_arch_add(x86): File exists", e.getMessage());
        }
        assertTrue(lib.archToken("pdp11").isEmpty());
    }

    @Test
    void aContextIsReleasedOnceAndNotUsedAfter() {
        LibSeccomp.FilterContext ctx = lib.newFilter(SeccompActions.ALLOW);
        ctx.close();
        ctx.close();
        assertThrows(IllegalStateException.class, ctx::exportBpf);
    }

    @Test
    void memfdsCloseOnceAndReadBackWhatWasWritten() {
        MemFd memfd = MemFd.create(CLibrary.INSTANCE, "test");
        try (LibSeccomp.FilterContext ctx = lib.newFilter(SeccompActions.ALLOW)) {
            assertEquals(0, memfd.readAll().length);
            byte[] bpf = ctx.exportBpf();
            assertTrue(bpf.length > 0 && bpf.length % 8 == 0, "length " + bpf.length);
            assertArrayEquals(bpf, ctx.exportBpf(), "each export is a fresh memfd read from offset 0");
        }
        memfd.close();
        memfd.close();
        assertThrows(IllegalStateException.class, memfd::fd);
    }

    @Test
    void namesRoundTripThroughMallocedStrings() {
        int nativeToken = lib.nativeArchToken();
        for (int nr = 0; nr < 64; nr++) {
            int number = nr;
            lib.syscallName(nativeToken, nr).ifPresent(name -> assertEquals(number, lib.resolveSyscall(nativeToken, name), name));
        }
        assertEquals(LibSeccomp.NR_SCMP_ERROR, lib.resolveSyscall(nativeToken, "no_such_syscall"));
        assertTrue(lib.syscallName(nativeToken, 100_000).isEmpty());
    }
}
