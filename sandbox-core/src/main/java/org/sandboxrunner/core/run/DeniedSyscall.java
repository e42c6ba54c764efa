package org.sandboxrunner.core.run;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A syscall the seccomp filter refused during a run (docs/seccomp.md, "how to read the denied-syscall
 * report").
 *
 * @param name         libseccomp's name for the number on that architecture; empty for a number it
 *                     does not know (a raw syscall number no kernel has, say)
 * @param number       the number the kernel saw (x32 numbers carry bit 30)
 * @param architecture the OCI architecture, e.g. {@code SCMP_ARCH_X86_64}, {@code SCMP_ARCH_X86} for
 *                     {@code int 0x80}; the AUDIT_ARCH_* value in hex when libseccomp does not know it
 * @param action       the profile's action: {@code SCMP_ACT_ERRNO} or {@code SCMP_ACT_KILL_PROCESS}
 * @param errno        the error the call got, for SCMP_ACT_ERRNO
 * @param args         the six argument registers of the first refused call
 * @param count        how many calls were refused
 */
public record DeniedSyscall(Optional<String> name, int number, String architecture, String action, OptionalInt errno,
        List<Long> args, long count) {

    public DeniedSyscall {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(errno, "errno");
        args = List.copyOf(args);
    }
}
