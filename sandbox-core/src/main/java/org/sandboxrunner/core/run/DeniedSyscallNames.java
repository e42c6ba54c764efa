package org.sandboxrunner.core.run;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.sandboxrunner.core.launch.DeniedEvent;
import org.sandboxrunner.seccomp.Architecture;
import org.sandboxrunner.seccomp.SyscallNames;

/** Names the native stage's raw refusals through libseccomp: architecture, syscall name, action, errno. */
final class DeniedSyscallNames {
    static final String KILL_PROCESS = "SCMP_ACT_KILL_PROCESS";
    static final String ERRNO = "SCMP_ACT_ERRNO";
    /** SECCOMP_RET_DATA; the kernel clamps the errno to MAX_ERRNO (kernel/seccomp.c). */
    private static final int DATA_MASK = 0xffff, MAX_ERRNO = 4095;

    private final SyscallNames names;

    DeniedSyscallNames(SyscallNames names) {
        this.names = names;
    }

    DeniedSyscalls name(List<DeniedEvent> events, long dropped) {
        return new DeniedSyscalls(Optional.empty(), events.stream().map(this::name).toList(), dropped);
    }

    private DeniedSyscall name(DeniedEvent e) {
        Optional<Architecture> arch = names.architecture(e.arch(), e.nr());
        String architecture = arch.map(Architecture::ociName).orElse("0x" + Integer.toHexString(e.arch()));
        Optional<String> name = arch.flatMap(a -> names.name(e.nr(), a.ociName()));
        return e.killed()
                ? new DeniedSyscall(name, e.nr(), architecture, KILL_PROCESS, OptionalInt.empty(), e.args(), e.count())
                : new DeniedSyscall(name, e.nr(), architecture, ERRNO, OptionalInt.of(Math.min(e.action() & DATA_MASK, MAX_ERRNO)),
                        e.args(), e.count());
    }
}
