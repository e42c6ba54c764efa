package org.sandboxrunner.tests.fidelity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sandboxrunner.capabilities.CapabilityState;
import org.sandboxrunner.capabilities.ExecveTransition;

/** What the tests of this package expect from the kernel, computed in one place. */
final class Kernel {
    private Kernel() {}

    /**
     * The state of a program a shell started in the sandbox: the native stage's state passed
     * through two execve calls, the shell's and the program's, with the workload's uid (real and
     * effective) and no_new_privs, which the runner always sets.
     */
    static CapabilityState throughShell(CapabilityState applied, long uid) {
        CapabilityState shell = ExecveTransition.apply(applied, uid, uid, true);
        return ExecveTransition.apply(shell, uid, uid, true);
    }

    /** The inode of one of the test JVM's (the host's) namespaces, e.g. {@code net}. */
    static long hostNamespace(String ns) throws IOException {
        String link = Files.readSymbolicLink(Path.of("/proc/self/ns", ns)).toString(); // "net:[4026531840]"
        return Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
    }
}
