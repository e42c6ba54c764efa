package org.sandboxrunner.seccomp;

import org.sandboxrunner.policy.SeccompArg;
import org.sandboxrunner.policy.SeccompSpec;
import org.sandboxrunner.policy.SyscallRule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a section decides for one syscall, read straight from the section (docs/seccomp.md) and never
 * from libseccomp's rule database, so that it can judge the program libseccomp exported: a call from an
 * architecture the filter does not cover is killed (bad arch); otherwise an entry applies when it names
 * the syscall, its action differs from the default, and for every argument index it tests one of its
 * conditions on that index holds (unsigned 64-bit, or the low 32 bits on 32-bit ABIs, as libseccomp
 * compares). The answer is a set: where entries with different actions all apply, the OCI section does
 * not say which wins and libseccomp picks one, so any of them is what the section means.
 */
final class SectionMeaning {
    private final LibSeccomp lib;
    private final int defaultAction;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<Integer, CoveredAbi> byAuditArch = new LinkedHashMap<>();
    private final Optional<CoveredAbi> x32;
    /** libseccomp's name lookups, kept: a check asks for the same few numbers thousands of times. */
    private final Map<Long, Optional<String>> names = new HashMap<>();

    /** One {@code syscalls[]} entry that can change a decision: its conditions grouped by argument index. */
    record Entry(String where, Set<String> names, int action, Map<Integer, List<SeccompArg>> byIndex) {}

    SectionMeaning(SeccompSpec spec, List<CoveredAbi> covered, LibSeccomp lib) {
        this.lib = lib;
        this.defaultAction = SeccompActions.encode(spec.defaultAction(), spec.defaultErrnoRet(), "linux.seccomp.defaultErrnoRet");
        for (int i = 0; i < spec.syscalls().size(); i++) {
            SyscallRule rule = spec.syscalls().get(i);
            String where = "linux.seccomp.syscalls[" + i + "]";
            int action = SeccompActions.encode(rule.action(), rule.errnoRet(), where);
            if (action != defaultAction) {
                Map<Integer, List<SeccompArg>> byIndex = rule.args().stream()
                        .collect(Collectors.groupingBy(SeccompArg::index, LinkedHashMap::new, Collectors.toList()));
                entries.add(new Entry(where, new LinkedHashSet<>(rule.names()), action, byIndex));
            }
        }
        covered.stream().filter(abi -> !abi.isX32()).forEach(abi -> byAuditArch.put(abi.auditArch(), abi));
        this.x32 = covered.stream().filter(CoveredAbi::isX32).findFirst();
    }

    int defaultAction() {
        return defaultAction;
    }

    /** The ABI a call is made in, if the filter covers it. */
    Optional<CoveredAbi> abiOf(SeccompData call) {
        // libseccomp lets nr -1 through to the rules: a tracer sets it to skip a syscall.
        boolean x32Bit = Integer.compareUnsigned(call.nr(), CoveredAbi.X32_SYSCALL_BIT) >= 0 && call.nr() != -1;
        if (x32.isPresent() && call.arch() == x32.get().auditArch()) {
            return x32Bit ? x32 : Optional.ofNullable(byAuditArch.get(call.arch()));
        }
        CoveredAbi abi = byAuditArch.get(call.arch());
        if (abi != null && abi.architecture() == Architecture.SCMP_ARCH_X86_64 && x32Bit) {
            return Optional.empty();
        }
        return Optional.ofNullable(abi);
    }

    /** The syscall's name in its ABI, if libseccomp knows the number there. */
    Optional<String> nameOf(CoveredAbi abi, int nr) {
        return names.computeIfAbsent(((long) abi.token() << 32) | Integer.toUnsignedLong(nr), k -> lib.syscallName(abi.token(), nr));
    }

    /** The entries that name the syscall, whether or not their conditions hold. */
    List<Entry> entriesFor(String syscall) {
        return entries.stream().filter(e -> e.names().contains(syscall)).toList();
    }

    /** The actions the section allows for the call: one, or several where entries with different actions apply. */
    Set<Integer> decide(SeccompData call) {
        Optional<CoveredAbi> abi = abiOf(call);
        if (abi.isEmpty()) {
            return Set.of(SeccompActions.KILL_PROCESS);
        }
        Optional<String> name = nameOf(abi.get(), call.nr());
        Set<Integer> actions = new LinkedHashSet<>();
        if (name.isPresent()) {
            for (Entry entry : entriesFor(name.get())) {
                if (applies(entry, call.args(), abi.get().bits32())) {
                    actions.add(entry.action());
                }
            }
        }
        return actions.isEmpty() ? Set.of(defaultAction) : Set.copyOf(actions);
    }

    private static boolean applies(Entry entry, List<Long> values, boolean bits32) {
        return entry.byIndex().values().stream()
                .allMatch(alternatives -> alternatives.stream().anyMatch(a -> holds(a, values.get(a.index()), bits32)));
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
            // OCI: value is the mask, valueTwo the datum; libseccomp tests (arg & mask) == (datum & mask).
            case SCMP_CMP_MASKED_EQ -> (v & a) == (b & a);
        };
    }
}
