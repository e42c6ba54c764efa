package org.sandboxrunner.seccomp;

import org.sandboxrunner.policy.SeccompArg;
import org.sandboxrunner.policy.SeccompOperator;
import org.sandboxrunner.policy.SeccompSpec;
import org.sandboxrunner.policy.SyscallRule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The syscalls a compiled program is checked on, derived from the section: for every syscall an entry
 * names and every covered architecture where it exists, argument vectors made of the boundary values of
 * every condition on that syscall (each index's candidates crossed with the others', pairwise when the
 * full product is over {@link #FULL_PRODUCT_BUDGET}); then numbers no entry names, and calls from
 * architectures the filter does not cover. Boundaries are where a comparison changes its answer or
 * where libseccomp splits a 64-bit comparison into two 32-bit ones: the datum and its neighbours, its
 * complement, its low word alone, its high word changed, masked variants, and 0, -1, 2^31±1, 2^32±1.
 * socketcall and ipc (i386 and the other ABIs that multiplex through them) are left out: libseccomp
 * rewrites socket and IPC rules into them with conditions of its own that the section does not state.
 */
final class ProbeSet {
    /** Above this many vectors per syscall the indexes are crossed pairwise, the rest held at a first value. */
    static final int FULL_PRODUCT_BUDGET = 4096;
    private static final Set<String> MULTIPLEXERS = Set.of("socketcall", "ipc");
    private static final long[] GENERIC = {0L, 1L, -1L, 0x7fff_ffffL, 0x8000_0000L, 0x8000_0001L, 0xffff_ffffL,
            0x1_0000_0000L, 0x1_0000_0001L};
    private static final long HIGH_WORD = 0xffff_ffff_0000_0000L;

    /** One call to check, with the syscall name it was made for (empty for a number no entry names). */
    record Probe(String syscall, SeccompData call) {}

    private ProbeSet() {}

    static List<Probe> of(SeccompSpec spec, List<CoveredAbi> covered, LibSeccomp lib) {
        List<Probe> probes = new ArrayList<>();
        Map<String, List<SyscallRule>> bySyscall = new LinkedHashMap<>();
        spec.syscalls().forEach(rule -> rule.names().forEach(name -> bySyscall.computeIfAbsent(name, k -> new ArrayList<>()).add(rule)));
        for (CoveredAbi abi : covered) {
            Set<Integer> named = new LinkedHashSet<>();
            bySyscall.forEach((name, rules) -> {
                int nr = lib.resolveSyscall(abi.token(), name);
                // Unknown names and ones this ABI lacks (negative pseudo numbers) have no call to probe.
                if (nr >= 0 && !MULTIPLEXERS.contains(name)) {
                    named.add(nr);
                    vectors(rules).forEach(args -> probes.add(new Probe(name, new SeccompData(nr, abi.auditArch(), 0, args))));
                }
            });
            unnamedNumbers(abi, named, lib).forEach(nr -> {
                probes.add(new Probe("", SeccompData.of(abi.auditArch(), nr)));
                probes.add(new Probe("", SeccompData.of(abi.auditArch(), nr, -1, -1, -1, -1, -1, -1)));
            });
        }
        uncoveredCalls(covered, lib).forEach(call -> probes.add(new Probe("", call)));
        return List.copyOf(probes);
    }

    /** -1 (a tracer's skip, which libseccomp sends through the rules) and the first number no entry names. */
    private static List<Integer> unnamedNumbers(CoveredAbi abi, Set<Integer> named, LibSeccomp lib) {
        int base = abi.isX32() ? CoveredAbi.X32_SYSCALL_BIT : 0;
        for (int nr = base; nr < base + 4096; nr++) {
            boolean multiplexer = lib.syscallName(abi.token(), nr).map(MULTIPLEXERS::contains).orElse(false);
            if (!named.contains(nr) && !multiplexer) {
                return List.of(-1, nr);
            }
        }
        return List.of(-1);
    }

    /** An architecture the filter does not cover, and an x32 call when x86_64 is covered and x32 is not. */
    private static List<SeccompData> uncoveredCalls(List<CoveredAbi> covered, LibSeccomp lib) {
        Set<Architecture> archs = new LinkedHashSet<>();
        covered.forEach(abi -> archs.add(abi.architecture()));
        List<SeccompData> calls = new ArrayList<>();
        for (Architecture architecture : Architecture.values()) {
            if (!archs.contains(architecture) && architecture != Architecture.SCMP_ARCH_X32
                    && lib.archToken(architecture.libseccompName()).isPresent()) {
                calls.add(SeccompData.of(CoveredAbi.of(lib, architecture).auditArch(), 0));
                break;
            }
        }
        covered.stream().filter(abi -> abi.architecture() == Architecture.SCMP_ARCH_X86_64).findFirst()
                .filter(abi -> !archs.contains(Architecture.SCMP_ARCH_X32))
                .ifPresent(abi -> calls.add(SeccompData.of(abi.auditArch(), CoveredAbi.X32_SYSCALL_BIT)));
        return calls;
    }

    /** Argument vectors for one syscall from the conditions of every entry that names it. */
    static List<List<Long>> vectors(List<SyscallRule> rules) {
        Map<Integer, Set<Long>> candidates = new TreeMap<>();
        for (SyscallRule rule : rules) {
            for (SeccompArg arg : rule.args()) {
                Set<Long> values = candidates.computeIfAbsent(arg.index(), k -> new LinkedHashSet<>());
                boundaries(arg).forEach(values::add);
            }
        }
        candidates.values().forEach(values -> {
            for (long value : GENERIC) {
                values.add(value);
            }
        });
        List<Integer> indexes = List.copyOf(candidates.keySet());
        List<List<Long>> columns = indexes.stream().map(i -> List.copyOf(candidates.get(i))).toList();
        long product = columns.stream().mapToLong(List::size).reduce(1, Math::multiplyExact);
        Set<List<Long>> vectors = new LinkedHashSet<>();
        vectors.add(List.copyOf(filled(0L)));
        vectors.add(List.copyOf(filled(-1L)));
        if (product <= FULL_PRODUCT_BUDGET) {
            cross(indexes, columns, 0, filled(0L), vectors);
        } else {
            for (int x = 0; x < indexes.size(); x++) {
                for (int y = x + 1; y < indexes.size(); y++) {
                    for (long vx : columns.get(x)) {
                        for (long vy : columns.get(y)) {
                            List<Long> args = filled(0L);
                            for (int i = 0; i < indexes.size(); i++) {
                                args.set(indexes.get(i), columns.get(i).get(0));
                            }
                            args.set(indexes.get(x), vx);
                            args.set(indexes.get(y), vy);
                            vectors.add(List.copyOf(args));
                        }
                    }
                }
            }
        }
        return List.copyOf(vectors);
    }

    private static void cross(List<Integer> indexes, List<List<Long>> columns, int at, List<Long> partial, Set<List<Long>> out) {
        if (at == indexes.size()) {
            out.add(List.copyOf(partial));
            return;
        }
        for (long value : columns.get(at)) {
            List<Long> next = new ArrayList<>(partial);
            next.set(indexes.get(at), value);
            cross(indexes, columns, at + 1, next, out);
        }
    }

    private static List<Long> filled(long value) {
        List<Long> args = new ArrayList<>();
        for (int i = 0; i < SeccompData.ARGS; i++) {
            args.add(value);
        }
        return args;
    }

    /** Values around one condition's data where the comparison, or one of its 32-bit halves, changes answer. */
    private static List<Long> boundaries(SeccompArg arg) {
        List<Long> values = new ArrayList<>();
        List<Long> data = new ArrayList<>(List.of(arg.value()));
        if (arg.op() == SeccompOperator.SCMP_CMP_MASKED_EQ) {
            long mask = arg.value();
            long datum = arg.valueTwo();
            data.addAll(List.of(datum, datum & mask, (datum & mask) | ~mask, datum ^ mask, (datum & mask) ^ Long.lowestOneBit(mask)));
        }
        for (long d : data) {
            values.addAll(List.of(d, d + 1, d - 1, ~d, d & 0xffff_ffffL, d | HIGH_WORD, d ^ 0x1_0000_0000L, d ^ 0x8000_0000L));
        }
        return values;
    }
}
