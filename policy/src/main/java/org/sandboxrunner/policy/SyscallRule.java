package org.sandboxrunner.policy;

import java.util.List;
import java.util.OptionalInt;

/** OCI {@code linux.seccomp.syscalls[]}. */
public record SyscallRule(List<String> names, SeccompAction action, OptionalInt errnoRet, List<SeccompArg> args) {

    public SyscallRule {
        names = Checks.list(names, "linux.seccomp.syscalls[].names");
        if (names.isEmpty()) {
            throw new IllegalArgumentException("linux.seccomp.syscalls[].names must not be empty");
        }
        Checks.required(action, "linux.seccomp.syscalls[].action");
        Checks.required(errnoRet, "linux.seccomp.syscalls[].errnoRet");
        args = Checks.list(args, "linux.seccomp.syscalls[].args");
        if (errnoRet.isPresent() && !action.takesErrno()) {
            throw new IllegalArgumentException("errnoRet is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not " + action.ociName());
        }
    }
}
