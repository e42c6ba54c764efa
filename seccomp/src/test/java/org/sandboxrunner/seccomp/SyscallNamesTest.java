package org.sandboxrunner.seccomp;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Names and numbers through JNA agree with python3-seccomp's resolve_syscall on the same libseccomp. */
class SyscallNamesTest {
    private final SyscallNames names = SyscallNames.create();

    @Test
    void agreesWithPythonSeccompAcrossArchitectures() {
        String script = "import seccomp\n"
                + "for arch in ['x86_64', 'x86', 'x32', 'aarch64']:\n"
                + "    for name in ['read', 'openat', 'getppid', 'socket', 'clone3', 'personality']:\n"
                + "        print(arch, name, seccomp.resolve_syscall(seccomp.Arch(arch), name))\n";
        TestPrograms.Result result = TestPrograms.run(List.of(PythonSeccompReference.PYTHON, "-c", script), Duration.ofSeconds(30));
        assertEquals(0, result.exitCode(), result.stderr());
        List<String> lines = result.stdout().lines().toList();
        assertEquals(24, lines.size());
        for (String line : lines) {
            String[] f = line.split(" ");
            String arch = Architecture.fromOciName("SCMP_ARCH_" + f[0].toUpperCase()).orElseThrow().ociName();
            int number = Integer.parseInt(f[2]);
            if (!names.name(number, arch).equals(Optional.of(f[1]))) {
                // python3-seccomp rewrites multiplexed calls (i386 socket -> socketcall); libseccomp's own table
                // gives such a name a pseudo number, which resolve() refuses.
                assertTrue(assertThrows(SeccompException.class, () -> names.resolve(f[1], arch)).getMessage()
                        .contains("does not exist on " + arch), line);
            } else {
                assertEquals(number, names.resolve(f[1], arch), line);
                assertEquals(Optional.of(f[1]), names.name(number, arch), line);
            }
        }
    }

    @Test
    void refusesUnknownNamesAndSyscallsAnArchitectureLacks() {
        assertEquals("syscall 'no_such_syscall' is unknown to libseccomp " + SeccompCompiler.create().library().version(),
                assertThrows(SeccompException.class, () -> names.resolve("no_such_syscall", "SCMP_ARCH_X86_64")).getMessage());
        String lacking = assertThrows(SeccompException.class, () -> names.resolve("socketcall", "SCMP_ARCH_X86_64")).getMessage();
        assertTrue(lacking.startsWith("syscall 'socketcall' does not exist on SCMP_ARCH_X86_64 (libseccomp pseudo number -"), lacking);
        assertEquals(102, names.resolve("socketcall", "SCMP_ARCH_X86"), "i386 has it");
        assertTrue(names.name(100_000, "SCMP_ARCH_X86_64").isEmpty());
        assertTrue(assertThrows(SeccompException.class, () -> names.archToken("SCMP_ARCH_VAX")).getMessage()
                .startsWith("unknown architecture 'SCMP_ARCH_VAX'"));
        assertEquals(0xc000003e, names.archToken("SCMP_ARCH_X86_64"), "AUDIT_ARCH_X86_64");
    }
}
