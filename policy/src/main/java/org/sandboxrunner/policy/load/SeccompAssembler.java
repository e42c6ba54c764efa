package org.sandboxrunner.policy.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.sandboxrunner.policy.SeccompAction;
import org.sandboxrunner.policy.SeccompArg;
import org.sandboxrunner.policy.SeccompOperator;
import org.sandboxrunner.policy.SeccompSpec;
import org.sandboxrunner.policy.SyscallRule;
import org.sandboxrunner.policy.wire.Describe;
import org.sandboxrunner.policy.wire.ProfileDocument;

/** Validates {@code linux.seccomp} (OCI field names and semantics) and builds its {@link SeccompSpec}. */
final class SeccompAssembler {

    /** The architectures of the OCI runtime spec (libseccomp's SCMP_ARCH_* names). */
    static final List<String> ARCHITECTURES = List.of(
            "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64",
            "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
            "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390",
            "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64");
    /** The seccomp(2) filter flags the OCI runtime spec names. */
    static final List<String> FLAGS = List.of(
            "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
            "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
    static final List<String> UNKNOWN_SYSCALLS = List.of("skip", "refuse");
    /** The largest errno a filter can return: SECCOMP_RET_DATA is 16 bits, the kernel's MAX_ERRNO is 4095. */
    static final long MAX_ERRNO = 4095;
    /** What runc and crun return when an ERRNO or TRACE action gives no errnoRet. */
    static final int DEFAULT_ERRNO = 1;

    private static final List<String> ACTIONS = Arrays.stream(SeccompAction.values()).map(Enum::name).toList();
    private static final List<String> OPERATORS = Arrays.stream(SeccompOperator.values()).map(Enum::name).toList();
    private static final Pattern SYSCALL_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    private SeccompAssembler() {}

    static SeccompSpec assemble(ProfileDocument.Seccomp seccomp, String path, Problems problems) {
        int before = problems.count();
        FieldChecks.oneOf(seccomp.defaultAction(), ACTIONS, path + ".defaultAction", "action", problems);
        SeccompAction defaultAction = parse(seccomp.defaultAction(), ACTIONS, SeccompAction.class);
        OptionalInt defaultErrno = errno(defaultAction, seccomp.defaultErrnoRet(), path + ".defaultErrnoRet",
                "defaultAction", problems);
        List<String> architectures = names(seccomp.architectures(), ARCHITECTURES, path + ".architectures",
                "architecture", problems);
        List<String> flags = names(seccomp.flags(), FLAGS, path + ".flags", "flag", problems);
        String unknown = seccomp.unknownSyscalls() == null ? "refuse" : seccomp.unknownSyscalls();
        FieldChecks.oneOf(unknown, UNKNOWN_SYSCALLS, path + ".unknownSyscalls", "choice", problems);
        List<SyscallRule> rules = new ArrayList<>();
        List<ProfileDocument.Syscall> syscalls = FieldChecks.orEmpty(seccomp.syscalls());
        for (int i = 0; i < syscalls.size(); i++) {
            SyscallRule rule = rule(syscalls.get(i), DocPaths.index(path + ".syscalls", i), problems);
            if (rule != null) {
                rules.add(rule);
            }
        }
        if (problems.count() > before) {
            return null;
        }
        return new SeccompSpec(defaultAction, defaultErrno, architectures, flags, rules,
                unknown.equals("skip") ? SeccompSpec.UnknownSyscalls.SKIP : SeccompSpec.UnknownSyscalls.REFUSE);
    }

    private static List<String> names(List<String> values, List<String> valid, String path, String what, Problems problems) {
        List<String> list = FieldChecks.orEmpty(values);
        for (int i = 0; i < list.size(); i++) {
            FieldChecks.oneOf(list.get(i), valid, DocPaths.index(path, i), what, problems);
        }
        FieldChecks.unique(list, v -> v, path, what, problems);
        return list;
    }

    /** errnoRet goes only with ERRNO and TRACE, and defaults to EPERM there as in runc and crun. */
    private static OptionalInt errno(SeccompAction action, Long value, String path, String actionField, Problems problems) {
        if (action == null) {
            return OptionalInt.empty();
        }
        if (!action.takesErrno()) {
            if (value != null) {
                problems.add(path, "is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, and " + actionField + " is "
                        + action.name() + "; remove it or change the action");
            }
            return OptionalInt.empty();
        }
        if (value == null) {
            return OptionalInt.of(DEFAULT_ERRNO);
        }
        if (!FieldChecks.inRange(value, 0, MAX_ERRNO, path, problems)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(value.intValue());
    }

    private static SyscallRule rule(ProfileDocument.Syscall rule, String path, Problems problems) {
        int before = problems.count();
        List<String> names = FieldChecks.orEmpty(rule.names());
        if (names.isEmpty()) {
            problems.add(path + ".names", "required: the syscall names this rule applies to");
        }
        for (int i = 0; i < names.size(); i++) {
            if (!SYSCALL_NAME.matcher(names.get(i)).matches()) {
                problems.add(DocPaths.index(path + ".names", i), "is not a syscall name (lower-case letters, digits and"
                        + " '_'), got " + Describe.quote(names.get(i)));
            }
        }
        FieldChecks.unique(names, n -> n, path + ".names", "syscall", problems);
        FieldChecks.oneOf(rule.action(), ACTIONS, path + ".action", "action", problems);
        SeccompAction action = parse(rule.action(), ACTIONS, SeccompAction.class);
        OptionalInt errno = errno(action, rule.errnoRet(), path + ".errnoRet", "action", problems);
        List<SeccompArg> args = args(FieldChecks.orEmpty(rule.args()), path + ".args", problems);
        return problems.count() > before ? null : new SyscallRule(names, action, errno, args);
    }

    private static List<SeccompArg> args(List<ProfileDocument.Arg> args, String path, Problems problems) {
        List<SeccompArg> result = new ArrayList<>();
        Map<Long, Integer> firstOfIndex = new HashMap<>();
        boolean repeated = false;
        for (int i = 0; i < args.size(); i++) {
            ProfileDocument.Arg arg = args.get(i);
            String at = DocPaths.index(path, i);
            int before = problems.count();
            if (FieldChecks.present(arg.index(), at + ".index", "the argument's position, 0 to 5", problems)) {
                FieldChecks.inRange(arg.index(), 0, SeccompArg.MAX_INDEX, at + ".index", problems);
                repeated |= firstOfIndex.putIfAbsent(arg.index(), i) != null;
            }
            FieldChecks.present(arg.value(), at + ".value", "the value compared (the mask for SCMP_CMP_MASKED_EQ)", problems);
            FieldChecks.oneOf(arg.op(), OPERATORS, at + ".op", "operator", problems);
            if (problems.count() > before) {
                continue;
            }
            SeccompOperator op = SeccompOperator.valueOf(arg.op());
            long valueTwo = arg.valueTwo() == null ? 0 : arg.valueTwo().bits();
            if (op != SeccompOperator.SCMP_CMP_MASKED_EQ && valueTwo != 0) {
                problems.add(at + ".valueTwo", "is only used by SCMP_CMP_MASKED_EQ; with " + op.name()
                        + " it would be ignored, so it must be 0 or absent");
                continue;
            }
            if (op == SeccompOperator.SCMP_CMP_MASKED_EQ && (valueTwo & ~arg.value().bits()) != 0) {
                problems.add(at + ".valueTwo", "has bits outside the mask in value, so (arg & value) == valueTwo can"
                        + " never hold");
                continue;
            }
            result.add(new SeccompArg(arg.index().intValue(), arg.value().bits(), valueTwo, op));
        }
        if (repeated && firstOfIndex.size() > 1) {
            // runc and crun turn a rule whose conditions repeat an index into one rule per condition,
            // ORing all of them, also those on other indexes: almost never what the writer meant.
            problems.add(path, "repeats an argument index and also tests another index; runc and crun then OR every"
                    + " condition of the rule, including the others; split it into one rule per index");
        }
        return result;
    }

    private static <E extends Enum<E>> E parse(String name, List<String> valid, Class<E> type) {
        return name != null && valid.contains(name) ? Enum.valueOf(type, name) : null;
    }
}
