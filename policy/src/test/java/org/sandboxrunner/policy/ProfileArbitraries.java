package org.sandboxrunner.policy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Random valid profiles: every value inside what the loader accepts, every cross-section rule kept. */
final class ProfileArbitraries {
    private ProfileArbitraries() {}

    private static final List<String> CAPS = List.of("CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SETUID",
            "CAP_SYS_PTRACE", "CAP_DAC_OVERRIDE");
    private static final List<String> RLIMITS = List.of("RLIMIT_CORE", "RLIMIT_NOFILE", "RLIMIT_FSIZE", "RLIMIT_STACK",
            "RLIMIT_MEMLOCK", "RLIMIT_CPU", "RLIMIT_AS");
    private static final List<String> SECUREBITS = List.of("noroot", "noroot_locked", "keep_caps", "no_setuid_fixup");
    private static final List<String> SYSCALLS = List.of("read", "write", "openat", "close", "ioctl", "clone", "socket",
            "mmap", "_llseek", "personality", "fcntl", "mount");
    private static final List<String> ARCHES = List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32",
            "SCMP_ARCH_AARCH64");
    private static final List<String> FLAGS = List.of("SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW");

    static Arbitrary<Profile> profiles() {
        Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> descriptions = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40);
        return Combinators.combine(names, descriptions, names, process(), linux(), filesystem(), limits(), rest())
                .as((name, description, hostname, process, linux, filesystem, limits, rest) -> {
                    IdMapping uid = linux.uidMappings().get(0);
                    IdMapping gid = linux.gidMappings().get(0);
                    // Keep the workload's ids inside the first mapping of each kind.
                    UserSpec user = new UserSpec(uid.containerId() + process.user().uid() % uid.size(),
                            gid.containerId() + process.user().gid() % gid.size(), process.user().umask(),
                            process.user().additionalGids().stream().map(g -> gid.containerId() + g % gid.size())
                                    .distinct().toList());
                    ProcessSpec p = new ProcessSpec(user, process.env(), process.cwd(), process.capabilities(),
                            process.rlimits(), true, process.securebits());
                    return new Profile(Profile.API_VERSION, name, description, hostname, p, linux, filesystem, limits,
                            rest.image(), rest.audit(), rest.degrade());
                });
    }

    private record Rest(Optional<ImageSpec> image, AuditSpec audit, Set<Degradation> degrade) {}

    private static Arbitrary<Rest> rest() {
        Arbitrary<Optional<ImageSpec>> image = Arbitraries.of("oci:/images/app", "oci:/images/app:v1").optional()
                .map(r -> r.map(ref -> new ImageSpec(ref, "/etc/containers/policy.json")));
        Arbitrary<AuditSpec> audit = Arbitraries.of("/var/log/a.jsonl", "/tmp/x.jsonl").optional()
                .flatMap(log -> Arbitraries.of("/etc/key").optional().map(key -> new AuditSpec(log, key)));
        Arbitrary<Set<Degradation>> degrade = Arbitraries.subsetOf(Degradation.values());
        return Combinators.combine(image, audit, degrade).as(Rest::new);
    }

    private static Arbitrary<ProcessSpec> process() {
        Arbitrary<UserSpec> user = Combinators.combine(Arbitraries.longs().between(0, 1 << 20),
                Arbitraries.longs().between(0, 1 << 20), Arbitraries.integers().between(0, 0777),
                Arbitraries.longs().between(0, 1 << 20).list().ofMaxSize(3)).as(UserSpec::new);
        Arbitrary<List<String>> env = Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(6)
                .set().ofMaxSize(4).flatMap(keys -> Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(10)
                        .list().ofSize(keys.size()).map(values -> {
                            List<String> out = new ArrayList<>();
                            int i = 0;
                            for (String k : keys) {
                                out.add(k + "=" + values.get(i++));
                            }
                            return out;
                        }));
        Arbitrary<String> cwd = Arbitraries.of("/", "/box", "/work/dir");
        Arbitrary<List<RlimitSpec>> rlimits = Arbitraries.subsetOf(RLIMITS).flatMap(types -> {
            List<Arbitrary<RlimitSpec>> each = types.stream().sorted().map(t -> Arbitraries.longs().between(-1, 1L << 40)
                    .flatMap(hard -> Arbitraries.longs().between(0, hard == -1 ? Long.MAX_VALUE : hard)
                            .injectNull(0.2).map(soft -> new RlimitSpec(t, soft == null ? hard : soft, hard)))).toList();
            return Combinators.combine(each).as(List::copyOf);
        });
        return Combinators.combine(user, env, cwd, capabilities(), rlimits, ordered(SECUREBITS))
                .as((u, e, c, caps, r, s) -> new ProcessSpec(u, e, c, caps, r, true, s));
    }

    private static Arbitrary<CapabilitiesSpec> capabilities() {
        return ordered(CAPS).flatMap(bounding -> ordered(bounding).flatMap(permitted -> Combinators.combine(
                ordered(permitted), ordered(bounding)).as((effective, inheritable) -> {
                    List<String> ambient = permitted.stream().filter(inheritable::contains).toList();
                    return new CapabilitiesSpec(bounding, effective, inheritable, permitted, ambient);
                })));
    }

    /** A subset of {@code values} in their order. */
    private static Arbitrary<List<String>> ordered(List<String> values) {
        return Arbitraries.subsetOf(values).map(set -> values.stream().filter(set::contains).toList());
    }

    private static Arbitrary<LinuxSpec> linux() {
        Arbitrary<Set<NamespaceType>> namespaces = Arbitraries.subsetOf(NamespaceType.values()).map(set -> {
            Set<NamespaceType> withUser = EnumSet.of(NamespaceType.USER);
            withUser.addAll(set);
            return withUser;
        });
        Arbitrary<List<IdMapping>> mappings = Combinators.combine(Arbitraries.longs().between(0, 1000),
                Arbitraries.longs().between(0, 1L << 31), Arbitraries.longs().between(1, 70000),
                Arbitraries.of(true, false)).as((container, host, size, two) -> {
                    IdMapping first = new IdMapping(container, host, size);
                    return two ? List.of(first, new IdMapping(container + size, host + size + 10, 5)) : List.of(first);
                });
        Arbitrary<List<String>> paths = Arbitraries.of("/proc/kcore", "/proc/keys", "/etc/shadow", "/sys/firmware")
                .set().map(List::copyOf);
        return Combinators.combine(namespaces, mappings, mappings, resources(), seccomp().optional(), paths, paths)
                .as(LinuxSpec::new);
    }

    private static Arbitrary<ResourcesSpec> resources() {
        Arbitrary<OptionalLong> memory = Arbitraries.longs().between(1 << 20, 1L << 40).optional()
                .map(o -> o.map(OptionalLong::of).orElse(OptionalLong.empty()));
        Arbitrary<Optional<CpuSpec>> cpu = Combinators.combine(Arbitraries.longs().between(1000, 1_000_000).optional(),
                Arbitraries.longs().between(2, 262_144).optional(), Arbitraries.of("0", "0-1", "0,2-3").optional())
                .as((period, shares, cpus) -> new CpuSpec(
                        period.map(p -> OptionalLong.of(p * 2)).orElse(OptionalLong.empty()),
                        period.map(OptionalLong::of).orElse(OptionalLong.empty()),
                        shares.map(OptionalLong::of).orElse(OptionalLong.empty()), cpus, Optional.empty()))
                .optional();
        return Combinators.combine(memory, Arbitraries.longs().between(0, 1L << 30), optionalLong(1, 100_000), cpu,
                optionalLong(10, 1000)).as((limit, extraSwap, pids, c, weight) -> new ResourcesSpec(limit,
                        limit.isPresent() ? OptionalLong.of(limit.getAsLong() + extraSwap) : OptionalLong.empty(),
                        pids, c, weight));
    }

    private static Arbitrary<OptionalLong> optionalLong(long min, long max) {
        return Arbitraries.longs().between(min, max).optional().map(o -> o.map(OptionalLong::of).orElse(OptionalLong.empty()));
    }

    private static Arbitrary<SeccompSpec> seccomp() {
        Arbitrary<SeccompAction> actions = Arbitraries.of(SeccompAction.class);
        return Combinators.combine(actions, Arbitraries.integers().between(0, 4095), ordered(ARCHES), ordered(FLAGS),
                rule().list().ofMaxSize(5), Arbitraries.of(SeccompSpec.UnknownSyscalls.class))
                .as((action, errno, arches, flags, rules, unknown) -> new SeccompSpec(action,
                        action.takesErrno() ? OptionalInt.of(errno) : OptionalInt.empty(), arches, flags, rules, unknown));
    }

    private static Arbitrary<SyscallRule> rule() {
        Arbitrary<SeccompArg> arg = Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.longs(),
                Arbitraries.longs(), Arbitraries.of(SeccompOperator.class)).as((index, value, two, op) ->
                new SeccompArg(index, value, op == SeccompOperator.SCMP_CMP_MASKED_EQ ? two & value : 0, op));
        // Either one index repeated (conditions ORed) or distinct indexes (ANDed), never both.
        Arbitrary<List<SeccompArg>> args = arg.list().ofMaxSize(4).map(list -> {
            List<SeccompArg> distinct = new ArrayList<>();
            for (SeccompArg a : list) {
                if (distinct.stream().noneMatch(d -> d.index() == a.index())) {
                    distinct.add(a);
                }
            }
            return distinct;
        });
        Arbitrary<List<SeccompArg>> sameIndex = arg.list().ofMinSize(2).ofMaxSize(4).map(list -> list.stream()
                .map(a -> new SeccompArg(list.get(0).index(), a.value(), a.valueTwo(), a.op())).toList());
        return Combinators.combine(Arbitraries.subsetOf(SYSCALLS).filter(s -> !s.isEmpty()), Arbitraries.of(SeccompAction.class),
                Arbitraries.integers().between(0, 4095), Arbitraries.oneOf(args, sameIndex))
                .as((names, action, errno, a) -> new SyscallRule(SYSCALLS.stream().filter(names::contains).toList(),
                        action, action.takesErrno() ? OptionalInt.of(errno) : OptionalInt.empty(), a));
    }

    private static Arbitrary<FilesystemSpec> filesystem() {
        Arbitrary<MountSpec> bind = Arbitraries.of("/srv/data", "/opt/tools").flatMap(source ->
                Arbitraries.of("ro", "rw").map(mode -> new MountSpec("/mnt" + source, "bind", source, List.of("rbind", mode))));
        Arbitrary<MountSpec> tmpfs = Arbitraries.of("/scratch", "/mnt/tmp").map(dest ->
                new MountSpec(dest, "tmpfs", "tmpfs", List.of("size=16M", "nosuid")));
        Arbitrary<List<MountSpec>> mounts = Arbitraries.oneOf(bind, tmpfs).list().ofMaxSize(3).map(list -> {
            List<MountSpec> unique = new ArrayList<>();
            for (MountSpec m : list) {
                if (unique.stream().noneMatch(u -> u.destination().equals(m.destination()))) {
                    unique.add(m);
                }
            }
            return unique;
        });
        return Combinators.combine(ordered(List.of("/usr", "/bin", "/lib", "/etc", "/opt")), Arbitraries.of("/box", "/work"),
                Arbitraries.longs().between(1, 1L << 32), mounts).as(FilesystemSpec::new);
    }

    private static Arbitrary<LimitsSpec> limits() {
        return Combinators.combine(optionalLong(1, Long.MAX_VALUE), optionalLong(1, 1L << 40), optionalLong(0, 1L << 40))
                .as(LimitsSpec::new);
    }
}
