package org.sandboxrunner.seccomp;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sandboxrunner.policy.SeccompAction;
import org.sandboxrunner.policy.SeccompOperator;
import org.sandboxrunner.policy.SeccompSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sandboxrunner.seccomp.Specs.allow;
import static org.sandboxrunner.seccomp.Specs.allowBy;
import static org.sandboxrunner.seccomp.Specs.arg;
import static org.sandboxrunner.seccomp.Specs.eq;
import static org.sandboxrunner.seccomp.Specs.errno;
import static org.sandboxrunner.seccomp.Specs.masked;
import static org.sandboxrunner.seccomp.Specs.rule;
import static org.sandboxrunner.seccomp.Specs.spec;

/**
 * Compiled filters loaded by the real kernel ({@link TestPrograms#underFilter}) around real programs, covering
 * the semantics runc's seccomp conformance programs check. The JVM itself never loads a filter.
 * syscall_probe makes one raw syscall; getppid ignores its arguments, but the filter sees them, so it
 * serves as a harmless carrier for argument conditions.
 */
class KernelConformanceTest {
    private static final int SIGSYS = 31;
    private static final int SIGSEGV = 11;
    private static final String X86_64 = "SCMP_ARCH_X86_64";
    /** What the statically linked probe calls on its way to main(), seen with strace. */
    private static final List<String> STATIC_STARTUP = List.of("execve", "arch_prctl", "brk", "set_tid_address",
            "set_robust_list", "rseq", "prlimit64", "readlink", "readlinkat", "getrandom", "mprotect", "newfstatat", "write",
            "exit_group");

    private static SeccompCompiler compiler;
    private static SyscallNames names;
    private static Path probe;
    private static Path staticProbe;

    @BeforeAll
    static void build() {
        compiler = SeccompCompiler.create();
        names = SyscallNames.create();
        probe = TestPrograms.program("syscall_probe");
        staticProbe = TestPrograms.program("syscall_probe", "-static");
    }

    private static TestPrograms.Result probe(CompiledFilter filter, Path program, int nr, long... args) {
        List<String> command = new ArrayList<>(List.of(program.toString(), Integer.toString(nr)));
        for (long a : args) {
            command.add(Long.toUnsignedString(a));
        }
        return TestPrograms.underFilter(filter, command);
    }

    /** "ret N" or "errno N" from a probe that ran to its end. */
    private static String call(CompiledFilter filter, String syscall, long... args) {
        TestPrograms.Result result = probe(filter, probe, names.resolve(syscall, X86_64), args);
        assertEquals(0, result.exitCode(), result.stderr());
        return result.stdout().strip();
    }

    private static void assertAllowed(String outcome) {
        assertTrue(outcome.startsWith("ret "), outcome);
    }

    @Test
    void maskedEq() {
        CompiledFilter filter = compiler.compile(allowBy(errno(13, "getppid", masked(0, 0xf0, 0x30))));
        assertEquals("errno 13", call(filter, "getppid", 0x35));
        assertEquals("errno 13", call(filter, "getppid", 0x3f));
        assertEquals("errno 13", call(filter, "getppid", 0x1_0000_0030L));
        assertAllowed(call(filter, "getppid", 0x45));
        assertAllowed(call(filter, "getppid", 0));
    }

    @Test
    void orOnOneArgument() {
        CompiledFilter filter = compiler.compile(allowBy(errno(55, "getppid", eq(0, 1337), eq(0, 2020))));
        assertEquals("errno 55", call(filter, "getppid", 1337));
        assertEquals("errno 55", call(filter, "getppid", 2020));
        assertAllowed(call(filter, "getppid", 0));
    }

    @Test
    void andAcrossArguments() {
        CompiledFilter filter = compiler.compile(allowBy(errno(3, "getppid", eq(0, 0), eq(1, 1337))));
        assertEquals("errno 3", call(filter, "getppid", 0, 1337));
        assertAllowed(call(filter, "getppid", 0, 0));
        assertAllowed(call(filter, "getppid", 500, 1337));
        assertAllowed(call(filter, "getppid", 500, 500));
    }

    @Test
    void alternativesOnOneArgumentAndAnotherArgument() {
        CompiledFilter filter = compiler.compile(allowBy(errno(7, "getppid", eq(0, 1), eq(1, 7), eq(0, 2))));
        assertEquals("errno 7", call(filter, "getppid", 1, 7));
        assertEquals("errno 7", call(filter, "getppid", 2, 7));
        assertAllowed(call(filter, "getppid", 1, 8));
        assertAllowed(call(filter, "getppid", 3, 7));
    }

    @Test
    void severalRulesForOneSyscall() {
        CompiledFilter filter = compiler.compile(allowBy(errno(22, "getppid", eq(0, 1)),
                errno(22, "getppid", arg(0, SeccompOperator.SCMP_CMP_GT, 2))));
        assertAllowed(call(filter, "getppid", 0));
        assertEquals("errno 22", call(filter, "getppid", 1));
        assertAllowed(call(filter, "getppid", 2));
        assertEquals("errno 22", call(filter, "getppid", 3));
    }

    @Test
    void customErrnoRet() {
        assertEquals("errno 55", call(compiler.compile(allowBy(errno(55, "getppid"))), "getppid"));
        assertEquals("errno 4094", call(compiler.compile(allowBy(errno(4094, "getppid"))), "getppid"));
        assertEquals("errno 1", call(compiler.compile(allowBy(rule(SeccompAction.SCMP_ACT_ERRNO, "getppid"))), "getppid"),
                "ERRNO without errnoRet is EPERM");
    }

    @Test
    void defaultErrnoRetAndEnosysForUnknownNumbers() {
        List<String> allowed = new ArrayList<>(STATIC_STARTUP);
        allowed.add("getppid");
        CompiledFilter enxio = compiler.compile(spec(SeccompAction.SCMP_ACT_ERRNO, OptionalInt.of(6), List.of(), allow(allowed)));
        assertEquals("errno 6", staticCall(enxio, names.resolve("getpid", X86_64)));
        assertTrue(staticCall(enxio, names.resolve("getppid", X86_64)).startsWith("ret "));

        CompiledFilter enosys = compiler.compile(spec(SeccompAction.SCMP_ACT_ERRNO, OptionalInt.of(38), List.of(), allow(allowed)));
        assertEquals("errno 38", staticCall(enosys, 1000), "a number no syscall has");
        assertEquals("errno 38", staticCall(enosys, names.resolve("clone3", X86_64)), "so glibc falls back to clone");
        assertEquals("errno 38", staticCall(enosys, names.resolve("getpid", X86_64)));
    }

    private static String staticCall(CompiledFilter filter, int nr) {
        TestPrograms.Result result = probe(filter, staticProbe, nr);
        assertEquals(0, result.exitCode(), result.stderr());
        return result.stdout().strip();
    }

    @Test
    void actionsAsTheKernelTakesThem() {
        int getppid = names.resolve("getppid", X86_64);
        for (SeccompAction kill : List.of(SeccompAction.SCMP_ACT_KILL_PROCESS, SeccompAction.SCMP_ACT_KILL_THREAD,
                SeccompAction.SCMP_ACT_KILL, SeccompAction.SCMP_ACT_TRAP)) {
            TestPrograms.Result result = probe(compiler.compile(allowBy(rule(kill, "getppid"))), probe, getppid);
            assertTrue(result.killedBy(SIGSYS), kill + ": exit " + result.exitCode() + " " + result.stdout());
        }
        assertAllowed(call(compiler.compile(allowBy(rule(SeccompAction.SCMP_ACT_LOG, "getppid"))), "getppid"));
        assertEquals("errno 38", call(compiler.compile(allowBy(rule(SeccompAction.SCMP_ACT_TRACE, "getppid"))), "getppid"),
                "TRACE without a tracer fails with ENOSYS");
        CompiledFilter notify = compiler.compile(allowBy(rule(SeccompAction.SCMP_ACT_NOTIFY, "getppid")));
        assertEquals(FilterFlag.NEW_LISTENER, notify.loadFlags());
        assertEquals("errno 38", call(notify, "getppid"),
                "the listener fd is close-on-exec, and NOTIFY without a listener fails with ENOSYS");
    }

    @Test
    void filterFlagsAreAcceptedByTheKernel() {
        SeccompSpec base = allowBy(errno(5, "getppid"));
        CompiledFilter flagged = compiler.compile(new SeccompSpec(base.defaultAction(), base.defaultErrnoRet(), List.of(),
                List.of("SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"), base.syscalls(), base.unknownSyscalls()));
        assertEquals("errno 5", call(flagged, "getppid"));
    }

    @Test
    void x32SyscallsAreKilledWhenTheFilterCoversOnlyX86_64() {
        int x32Getppid = names.resolve("getppid", "SCMP_ARCH_X32");
        assertEquals(SectionArbitraries.X32_BIT, x32Getppid & SectionArbitraries.X32_BIT);
        TestPrograms.Result unfiltered = TestPrograms.run(List.of(probe.toString(), Integer.toString(x32Getppid)),
                Duration.ofSeconds(10));
        assertEquals(0, unfiltered.exitCode(), "without a filter the x32 call returns normally");

        CompiledFilter filter = compiler.compile(allowBy(errno(1, "getppid")));
        TestPrograms.Result result = probe(filter, probe, x32Getppid);
        assertTrue(result.killedBy(SIGSYS), "exit " + result.exitCode() + ", output " + result.stdout());
        assertEquals("", result.stdout());
    }

    /**
     * int 0x80 from 64-bit code enters the kernel as an i386 syscall (AUDIT_ARCH_I386), which a filter
     * covering only x86_64 must kill. Where the kernel has no int 0x80 gate (IA32 emulation off, as on
     * some VMs) the instruction faults before any syscall code; the denied call is then not made either.
     */
    @Test
    void int80CannotReachWhatTheFilterDenies() {
        Path int80 = TestPrograms.program("int80_probe");
        String i386Getppid = Integer.toString(names.resolve("getppid", "SCMP_ARCH_X86"));
        TestPrograms.Result unfiltered = TestPrograms.run(List.of(int80.toString(), i386Getppid), Duration.ofSeconds(10));
        boolean gate = unfiltered.exitCode() == 0;
        assertTrue(gate || unfiltered.killedBy(SIGSEGV), "int 0x80 without a filter: exit " + unfiltered.exitCode());

        CompiledFilter filter = compiler.compile(allowBy(errno(1, "getppid")));
        TestPrograms.Result result = TestPrograms.underFilter(filter, List.of(int80.toString(), i386Getppid));
        assertEquals("", result.stdout(), "the denied call must not return");
        assertTrue(result.killedBy(gate ? SIGSYS : SIGSEGV), "exit " + result.exitCode() + " (int 0x80 gate: " + gate + ")");
    }
}
