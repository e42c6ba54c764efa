package org.sandboxrunner.seccomp;

import org.sandboxrunner.policy.SeccompArg;
import org.sandboxrunner.policy.SeccompSpec;
import org.sandboxrunner.policy.SyscallRule;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a section decides for one syscall, read straight from the section rather than from any
 * compiled form: a rule applies when, for every argument index it tests, one of its conditions on that
 * index holds. Meant for sections with one non-default action per syscall
 * ({@link SectionArbitraries#oneActionPerSyscall}).
 */
final class SectionOracle {
    private final SeccompSpec spec;
    private final SyscallNames names;
    private final int defaultAction;
    private final Map<Integer, String> archByToken = new LinkedHashMap<>();
    private final int x8664;
    private final boolean x32;

    SectionOracle(SeccompSpec spec, SyscallNames names) {
        this.spec = spec;
        this.names = names;
        this.defaultAction = SeccompActions.encode(spec.defaultAction(), spec.defaultErrnoRet(), "oracle");
        this.x8664 = names.archToken("SCMP_ARCH_X86_64");
        archByToken.put(x8664, "SCMP_ARCH_X86_64");
        spec.architectures().stream().filter(a -> !a.equals("SCMP_ARCH_X32"))
                .forEach(a -> archByToken.put(names.archToken(a), a));
        this.x32 = spec.architectures().contains("SCMP_ARCH_X32");
    }

    int decide(SeccompData call) {
        String arch = archByToken.get(call.arch());
        if (arch == null) {
            return SeccompActions.KILL_PROCESS;
        }
        // libseccomp lets nr -1 through to the rules: a tracer sets it to skip a syscall.
        if (call.arch() == x8664 && Integer.compareUnsigned(call.nr(), SectionArbitraries.X32_BIT) >= 0 && call.nr() != -1) {
            if (!x32) {
                return SeccompActions.KILL_PROCESS;
            }
            arch = "SCMP_ARCH_X32";
        }
        Optional<String> name = names.name(call.nr(), arch);
        if (name.isEmpty()) {
            return defaultAction;
        }
        boolean bits32 = arch.equals("SCMP_ARCH_X86") || arch.equals("SCMP_ARCH_X32");
        for (SyscallRule rule : spec.syscalls()) {
            int action = SeccompActions.encode(rule.action(), rule.errnoRet(), "oracle");
            if (action != defaultAction && rule.names().contains(name.get()) && applies(rule.args(), call.args(), bits32)) {
                return action;
            }
        }
        return defaultAction;
    }

    private static boolean applies(List<SeccompArg> args, List<Long> values, boolean bits32) {
        Map<Integer, List<SeccompArg>> byIndex = args.stream().collect(Collectors.groupingBy(SeccompArg::index));
        return byIndex.values().stream().allMatch(alternatives -> alternatives.stream().anyMatch(a -> holds(a, values.get(a.index()), bits32)));
    }

    /** On 32-bit ABIs libseccomp compares the low 32 bits of argument and data. */
    private static boolean holds(SeccompArg arg, long value, boolean bits32) {
        long mask = bits32 ? 0xffff_ffffL : -1L;
        long v = value & mask;
        long a = arg.value() & mask;
        long b = arg.valueTwo() & mask;
        return switch (arg.op()) {
            case SCMP_CMP_NE -> v != a;
            case SCMP_CMP_LT -> Long.compareUnsigned(v, a) < 0;
            case SCMP_CMP_LE -> Long.compareUnsigned(v, a) <= 0;
            case SCMP_CMP_EQ -> v == a;
            case SCMP_CMP_GE -> Long.compareUnsigned(v, a) >= 0;
            case SCMP_CMP_GT -> Long.compareUnsigned(v, a) > 0;
            // libseccomp: "true if the masked argument value is equal to the masked datum value".
            case SCMP_CMP_MASKED_EQ -> (v & a) == (b & a);
        };
    }
}
