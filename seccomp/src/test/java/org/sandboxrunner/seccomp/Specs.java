package org.sandboxrunner.seccomp;

import org.sandboxrunner.policy.SeccompAction;
import org.sandboxrunner.policy.SeccompArg;
import org.sandboxrunner.policy.SeccompOperator;
import org.sandboxrunner.policy.SeccompSpec;
import org.sandboxrunner.policy.SyscallRule;

import java.util.List;
import java.util.OptionalInt;

/** Short ways to write seccomp sections in tests. */
final class Specs {
    private Specs() {}

    static SeccompSpec spec(SeccompAction defaultAction, OptionalInt defaultErrnoRet, List<String> architectures,
                            SyscallRule... rules) {
        return new SeccompSpec(defaultAction, defaultErrnoRet, architectures, List.of(), List.of(rules),
                SeccompSpec.UnknownSyscalls.SKIP);
    }

    /** Default ALLOW on the native architecture only. */
    static SeccompSpec allowBy(SyscallRule... rules) {
        return spec(SeccompAction.SCMP_ACT_ALLOW, OptionalInt.empty(), List.of(), rules);
    }

    static SyscallRule rule(SeccompAction action, String name, SeccompArg... args) {
        return new SyscallRule(List.of(name), action, OptionalInt.empty(), List.of(args));
    }

    static SyscallRule errno(int errno, String name, SeccompArg... args) {
        return new SyscallRule(List.of(name), SeccompAction.SCMP_ACT_ERRNO, OptionalInt.of(errno), List.of(args));
    }

    static SyscallRule allow(List<String> names) {
        return new SyscallRule(names, SeccompAction.SCMP_ACT_ALLOW, OptionalInt.empty(), List.of());
    }

    static SeccompArg eq(int index, long value) {
        return new SeccompArg(index, value, 0, SeccompOperator.SCMP_CMP_EQ);
    }

    static SeccompArg arg(int index, SeccompOperator op, long value) {
        return new SeccompArg(index, value, 0, op);
    }

    /** OCI MASKED_EQ: value is the mask, valueTwo the datum. */
    static SeccompArg masked(int index, long mask, long datum) {
        return new SeccompArg(index, mask, datum, SeccompOperator.SCMP_CMP_MASKED_EQ);
    }
}
