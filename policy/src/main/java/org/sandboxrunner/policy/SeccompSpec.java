package org.sandboxrunner.policy;

import java.util.List;
import java.util.OptionalInt;

/**
 * OCI {@code linux.seccomp}. Docker's extensions ({@code archMap}, {@code includes}/{@code excludes})
 * are resolved by the seccomp module before a profile holds the section, so this is plain OCI plus
 * one runner addition.
 *
 * @param architectures   {@code SCMP_ARCH_*} names
 * @param flags           {@code SECCOMP_FILTER_FLAG_*} names
 * @param unknownSyscalls what to do with a syscall name libseccomp does not know for an architecture
 */
public record SeccompSpec(
        SeccompAction defaultAction,
        OptionalInt defaultErrnoRet,
        List<String> architectures,
        List<String> flags,
        List<SyscallRule> syscalls,
        UnknownSyscalls unknownSyscalls) {

    /** Runner addition: {@code linux.seccomp.unknownSyscalls}. */
    public enum UnknownSyscalls {
        /** Leave the rule out for that architecture and report it (runc and crun do this). */
        SKIP,
        /** Refuse the profile. */
        REFUSE
    }

    public SeccompSpec {
        Checks.required(defaultAction, "linux.seccomp.defaultAction");
        Checks.required(defaultErrnoRet, "linux.seccomp.defaultErrnoRet");
        architectures = Checks.list(architectures, "linux.seccomp.architectures");
        flags = Checks.list(flags, "linux.seccomp.flags");
        syscalls = Checks.list(syscalls, "linux.seccomp.syscalls");
        Checks.required(unknownSyscalls, "linux.seccomp.unknownSyscalls");
        if (defaultErrnoRet.isPresent() && !defaultAction.takesErrno()) {
            throw new IllegalArgumentException("linux.seccomp.defaultErrnoRet is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not "
                    + defaultAction.ociName());
        }
    }
}
