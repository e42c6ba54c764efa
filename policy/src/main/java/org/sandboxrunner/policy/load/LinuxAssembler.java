package org.sandboxrunner.policy.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.sandboxrunner.policy.ByteSizes;
import org.sandboxrunner.policy.CpuSpec;
import org.sandboxrunner.policy.IdMapping;
import org.sandboxrunner.policy.LinuxSpec;
import org.sandboxrunner.policy.NamespaceType;
import org.sandboxrunner.policy.ResourcesSpec;
import org.sandboxrunner.policy.SeccompSpec;
import org.sandboxrunner.policy.wire.Describe;
import org.sandboxrunner.policy.wire.ProfileDocument;
import org.sandboxrunner.policy.wire.WireScalars;

/** Validates {@code linux} (namespaces, id mappings, resources, masked paths) and builds its {@link LinuxSpec}. */
final class LinuxAssembler {

    /** uid_map and gid_map take at most 340 lines (user_namespaces(7), Linux 4.15 and later). */
    static final int MAX_MAPPINGS = 340;
    /** Below this no program starts; a bare number here is usually a size written without its suffix. */
    static final long MIN_MEMORY_BYTES = 1L << 20;

    private static final List<String> NAMESPACE_NAMES =
            Arrays.stream(NamespaceType.values()).map(NamespaceType::ociName).toList();
    /** cpuset(7) list format: {@code 0-3,5}. */
    private static final Pattern CPU_LIST = Pattern.compile("[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*");

    private LinuxAssembler() {}

    static LinuxSpec assemble(ProfileDocument.Linux linux, Problems problems) {
        String path = "linux";
        if (!FieldChecks.present(linux, path, "a mapping", problems)) {
            return null;
        }
        int before = problems.count();
        Set<NamespaceType> namespaces = namespaces(FieldChecks.orEmpty(linux.namespaces()), path + ".namespaces", problems);
        List<IdMapping> uids = mappings(linux.uidMappings(), path + ".uidMappings", problems);
        List<IdMapping> gids = mappings(linux.gidMappings(), path + ".gidMappings", problems);
        ResourcesSpec resources = resources(linux.resources(), path + ".resources", problems);
        Optional<SeccompSpec> seccomp = linux.seccomp() == null ? Optional.empty()
                : Optional.ofNullable(SeccompAssembler.assemble(linux.seccomp(), path + ".seccomp", problems));
        List<String> masked = paths(linux.maskedPaths(), path + ".maskedPaths", problems);
        List<String> readonly = paths(linux.readonlyPaths(), path + ".readonlyPaths", problems);
        if (problems.count() > before) {
            return null;
        }
        return new LinuxSpec(namespaces, uids, gids, resources, seccomp, masked, readonly);
    }

    private static Set<NamespaceType> namespaces(List<ProfileDocument.Namespace> entries, String path, Problems problems) {
        Set<NamespaceType> types = EnumSet.noneOf(NamespaceType.class);
        for (int i = 0; i < entries.size(); i++) {
            ProfileDocument.Namespace ns = entries.get(i);
            String at = DocPaths.index(path, i);
            if (FieldChecks.oneOf(ns.type(), NAMESPACE_NAMES, at + ".type", "namespace type", problems)) {
                types.add(NamespaceType.fromOciName(ns.type()));
            }
            if (ns.path() != null) {
                problems.add(at + ".path", "joining an existing namespace is not supported: the sandbox always creates"
                        + " new namespaces; remove 'path'");
            }
        }
        FieldChecks.unique(entries, ProfileDocument.Namespace::type, path, "namespace", problems);
        if (!types.contains(NamespaceType.USER)) {
            problems.add(path, "must include {type: user}: every other namespace is owned by the sandbox's user"
                    + " namespace, and without one the setup would run with the host's root privileges");
        }
        return types;
    }

    private static List<IdMapping> mappings(List<ProfileDocument.IdMapping> entries, String path, Problems problems) {
        if (entries == null || entries.isEmpty()) {
            problems.add(path, "needs at least one mapping: the sandbox user and group must be mapped to host ids");
            return List.of();
        }
        if (entries.size() > MAX_MAPPINGS) {
            problems.add(path, "has " + entries.size() + " mappings; the kernel accepts at most " + MAX_MAPPINGS);
            return List.of();
        }
        int before = problems.count();
        List<IdMapping> result = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            ProfileDocument.IdMapping m = entries.get(i);
            String at = DocPaths.index(path, i);
            int itemBefore = problems.count();
            FieldChecks.id(m.containerID(), at + ".containerID", problems);
            FieldChecks.id(m.hostID(), at + ".hostID", problems);
            if (FieldChecks.present(m.size(), at + ".size", "the number of ids mapped", problems) && m.size() < 1) {
                problems.add(at + ".size", "must be at least 1, got " + m.size());
            }
            if (problems.count() > itemBefore) {
                continue;
            }
            long last = FieldChecks.MAX_ID + 1;
            if (m.containerID() + m.size() > last || m.hostID() + m.size() > last) {
                problems.add(at + ".size", "mapping " + m.containerID() + " " + m.hostID() + " " + m.size()
                        + " reaches past the largest id " + FieldChecks.MAX_ID);
                continue;
            }
            IdMapping mapping = new IdMapping(m.containerID(), m.hostID(), m.size());
            for (int j = 0; j < result.size(); j++) {
                IdMapping other = result.get(j);
                if (overlap(mapping.containerId(), other.containerId(), mapping.size(), other.size())) {
                    problems.add(at + ".containerID", "container ids " + mapping.containerRange()
                            + " overlap " + DocPaths.index(path, j) + " (" + other.containerRange()
                            + "); ranges must not overlap (user_namespaces(7))");
                }
                if (overlap(mapping.hostId(), other.hostId(), mapping.size(), other.size())) {
                    problems.add(at + ".hostID", "host ids " + mapping.hostRange()
                            + " overlap " + DocPaths.index(path, j) + " (" + other.hostRange()
                            + "); ranges must not overlap (user_namespaces(7))");
                }
            }
            result.add(mapping);
        }
        return problems.count() > before ? List.of() : result;
    }

    private static boolean overlap(long a, long b, long sizeA, long sizeB) {
        return a < b + sizeB && b < a + sizeA;
    }

    private static ResourcesSpec resources(ProfileDocument.Resources r, String path, Problems problems) {
        if (r == null) {
            return ResourcesSpec.unlimited();
        }
        int before = problems.count();
        OptionalLong memory = OptionalLong.empty();
        OptionalLong swap = OptionalLong.empty();
        if (r.memory() != null) {
            WireScalars.Size limit = r.memory().limit();
            if (limit != null && limit.bytes() < MIN_MEMORY_BYTES) {
                problems.add(path + ".memory.limit", ByteSizes.describe(limit.bytes()) + " is below the minimum of 1 MiB;"
                        + " sizes are bytes unless written with a suffix such as 256M");
            }
            if (r.memory().swap() != null && limit == null) {
                problems.add(path + ".memory.swap", "needs memory.limit: swap is the limit of memory plus swap");
            }
            if (limit != null && r.memory().swap() != null && r.memory().swap().bytes() < limit.bytes()) {
                problems.add(path + ".memory.swap", "is memory plus swap (as in OCI), so it must be at least memory.limit ("
                        + ByteSizes.describe(limit.bytes()) + "); write the same value for no swap");
            }
            if (limit != null) {
                memory = OptionalLong.of(limit.bytes());
                // No swap unless the profile gives more: the OCI default would be twice the limit.
                swap = OptionalLong.of(r.memory().swap() == null ? limit.bytes() : r.memory().swap().bytes());
            }
        }
        OptionalLong pids = OptionalLong.empty();
        if (r.pids() != null) {
            if (FieldChecks.present(r.pids().limit(), path + ".pids.limit", "the largest number of processes",
                    problems) && FieldChecks.inRange(r.pids().limit(), 1, Long.MAX_VALUE, path + ".pids.limit", problems)) {
                pids = OptionalLong.of(r.pids().limit());
            }
        }
        Optional<CpuSpec> cpu = r.cpu() == null ? Optional.empty() : Optional.ofNullable(cpu(r.cpu(), path + ".cpu", problems));
        OptionalLong weight = OptionalLong.empty();
        if (r.blockIO() != null) {
            if (FieldChecks.present(r.blockIO().weight(), path + ".blockIO.weight", "a weight between 10 and 1000",
                    problems) && FieldChecks.inRange(r.blockIO().weight(), 10, 1000, path + ".blockIO.weight", problems)) {
                weight = OptionalLong.of(r.blockIO().weight());
            }
        }
        return problems.count() > before ? null : new ResourcesSpec(memory, swap, pids, cpu, weight);
    }

    private static CpuSpec cpu(ProfileDocument.Cpu cpu, String path, Problems problems) {
        int before = problems.count();
        if ((cpu.quota() == null) != (cpu.period() == null)) {
            problems.add(path + (cpu.quota() == null ? ".quota" : ".period"), "quota and period go together: the"
                    + " sandbox may use quota microseconds of CPU in each period");
        }
        // The kernel's CFS bandwidth bounds (kernel/sched/core.c): period 1 ms to 1 s, quota at least 1 ms.
        FieldChecks.inRange(cpu.period(), 1000, 1_000_000, path + ".period", problems);
        FieldChecks.inRange(cpu.quota(), 1000, Long.MAX_VALUE, path + ".quota", problems);
        FieldChecks.inRange(cpu.shares(), 2, 262_144, path + ".shares", problems);
        cpuList(cpu.cpus(), path + ".cpus", problems);
        cpuList(cpu.mems(), path + ".mems", problems);
        if (problems.count() > before) {
            return null;
        }
        return new CpuSpec(FieldChecks.optional(cpu.quota()), FieldChecks.optional(cpu.period()), FieldChecks.optional(cpu.shares()),
                Optional.ofNullable(cpu.cpus()), Optional.ofNullable(cpu.mems()));
    }

    private static void cpuList(String list, String path, Problems problems) {
        if (list != null && !CPU_LIST.matcher(list).matches()) {
            problems.add(path, "must be a cpuset list such as 0-3,5, got " + Describe.quote(list));
        }
    }

    static List<String> paths(List<String> values, String path, Problems problems) {
        List<String> list = FieldChecks.orEmpty(values);
        for (int i = 0; i < list.size(); i++) {
            FieldChecks.absolutePath(list.get(i), DocPaths.index(path, i), problems);
        }
        FieldChecks.unique(list, p -> p, path, "path", problems);
        return list;
    }
}
