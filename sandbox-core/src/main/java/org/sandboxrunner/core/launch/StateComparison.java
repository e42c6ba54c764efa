package org.sandboxrunner.core.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.sandboxrunner.policy.NamespaceType;

/**
 * The gate before exec: compares what the native stage read back with the plan, field by field, and
 * lists every difference (an empty list lets the workload start). This is the only copy of the
 * comparison; the native stage only reads and reports (docs/ARCHITECTURE.md, "Proof of state").
 * The workload's seccomp state is the one field checked elsewhere: it exists only after exec, and the
 * sandbox's init checks it there (child.c verify_seccomp).
 */
public final class StateComparison {
    /** Names of the namespace files under /proc/PID/ns (namespaces(7)). */
    private static final Map<NamespaceType, String> NS_FILES = new EnumMap<>(Map.of(
            NamespaceType.USER, "user", NamespaceType.PID, "pid", NamespaceType.MOUNT, "mnt", NamespaceType.IPC, "ipc",
            NamespaceType.UTS, "uts", NamespaceType.NETWORK, "net", NamespaceType.CGROUP, "cgroup"));

    private final Map<String, Long> runnerNamespaces;

    /** @param runnerNamespaces the runner's own namespace inodes by /proc/self/ns file name */
    StateComparison(Map<String, Long> runnerNamespaces) {
        this.runnerNamespaces = Map.copyOf(runnerNamespaces);
    }

    /** Compares against this process's namespaces (the runner's, which the native stage starts from). */
    public static StateComparison forThisProcess() {
        Map<String, Long> own = new java.util.HashMap<>();
        for (String ns : NS_FILES.values()) {
            try {
                own.put(ns, (Long) Files.getAttribute(Path.of("/proc/self/ns", ns), "unix:ino"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot stat /proc/self/ns/" + ns + ": " + e.getMessage(), e);
            }
        }
        return new StateComparison(own);
    }

    public List<StateDifference> compare(LaunchPlan plan, ObservedState s) {
        List<StateDifference> d = new ArrayList<>();
        CapabilityPlan c = plan.capabilities();
        bits(d, "bounding", c.bounding(), s.bounding());
        bits(d, "permitted", c.permitted(), s.permitted());
        bits(d, "effective", c.effective(), s.effective());
        bits(d, "inheritable", c.inheritable(), s.inheritable());
        bits(d, "ambient", c.ambient(), s.ambient());
        equal(d, "securebits", c.securebits(), s.securebits());
        equal(d, "uid (real effective saved)", List.of(plan.uid(), plan.uid(), plan.uid()), s.uids());
        equal(d, "gid (real effective saved)", List.of(plan.gid(), plan.gid(), plan.gid()), s.gids());
        if (!plan.setgroupsDeny()) {
            // setgroups(2) keeps the list sorted (groups_sort in kernel/groups.c): compare as sets.
            equal(d, "groups", new TreeSet<>(plan.groups()), new TreeSet<>(s.groups()));
        }
        equal(d, "no_new_privs", true, s.noNewPrivs());
        for (Rlimit r : plan.rlimits()) {
            List<Long> seen = s.rlimits().get(r.name());
            equal(d, r.name(), limit(r.soft()) + " " + limit(r.hard()),
                    seen == null ? "(not reported)" : limit(seen.get(0)) + " " + limit(seen.get(1)));
        }
        for (Map.Entry<NamespaceType, String> ns : NS_FILES.entrySet()) {
            Long seen = s.namespaceInodes().get(ns.getValue());
            Long own = runnerNamespaces.get(ns.getValue());
            boolean wantNew = plan.namespaces().contains(ns.getKey());
            if (seen == null || seen.equals(own) == wantNew) {
                d.add(new StateDifference("namespace " + ns.getValue(), wantNew ? "a new one (not " + own + ")" : "the runner's ("
                        + own + ")", String.valueOf(seen)));
            }
        }
        // The kernel may list extents in another order (sorted beyond five extents, kernel/user_namespace.c).
        equal(d, "uid_map", new TreeSet<>(extents(plan.uidMap())), new TreeSet<>(asText(s.uidMap())));
        equal(d, "gid_map", new TreeSet<>(extents(plan.gidMap())), new TreeSet<>(asText(s.gidMap())));
        equal(d, "setgroups", plan.setgroupsDeny() ? "deny" : "allow", s.setgroups());
        plan.hostname().ifPresent(h -> equal(d, "hostname", h, s.hostname()));
        MountExpectations.of(plan).forEach(m -> m.check(s.mounts(), d));
        cgroups(d, plan, s);
        return List.copyOf(d);
    }

    /**
     * Each cgroup directory the child was placed in must be its cgroup in that hierarchy: the
     * directory's path ends with the path /proc/PID/cgroup gives (relative to the hierarchy's root),
     * which holds the run's unique leaf name.
     */
    private static void cgroups(List<StateDifference> d, LaunchPlan plan, ObservedState s) {
        for (Path procs : plan.cgroupProcs()) {
            String dir = procs.getParent().toString();
            boolean found = s.cgroups().stream().map(l -> l.split(":", 3)).anyMatch(f -> f.length == 3
                    && !f[2].equals("/") && dir.endsWith(f[2]));
            if (!found) {
                d.add(new StateDifference("cgroup " + dir, "the process in this leaf", String.join(" ", s.cgroups())));
            }
        }
    }

    private static List<String> extents(String mapText) {
        return mapText.lines().filter(l -> !l.isBlank()).map(l -> String.join(" ", l.trim().split("\\s+"))).toList();
    }

    private static List<String> asText(List<List<Long>> extents) {
        return extents.stream().map(e -> String.join(" ", e.stream().map(String::valueOf).toList())).toList();
    }

    private static String limit(long v) {
        return v == Rlimit.INFINITY ? "unlimited" : Long.toUnsignedString(v);
    }

    private static void bits(List<StateDifference> d, String field, long expected, long observed) {
        if (expected != observed) {
            d.add(new StateDifference(field, String.format("%016x", expected), String.format("%016x", observed)));
        }
    }

    private static void equal(List<StateDifference> d, String field, Object expected, Object observed) {
        if (!expected.equals(observed)) {
            d.add(new StateDifference(field, String.valueOf(expected), String.valueOf(observed)));
        }
    }

    /**
     * What one planned mount must look like in the sandbox's mount table: present (or, for optional
     * binds and masks of paths that may not exist, present or absent), of the file system the
     * operation makes, with at least the flags it sets. Flags the kernel adds (a bind keeps the
     * source mount's locked nosuid or noexec, mount_namespaces(7)) only restrict more and are not
     * differences. The topmost mount at a path is the one that counts.
     */
    record MountExpectations(String target, Optional<String> fsType, Set<MountOp.Flag> flags, boolean optional) {

        static List<MountExpectations> of(LaunchPlan plan) {
            List<MountExpectations> out = new ArrayList<>();
            boolean image = !plan.mounts().isEmpty() && plan.mounts().get(0).kind() == MountOp.Kind.OVERLAY;
            if (!image) {
                // The root tmpfs only holds mount points and is made read-only (child.c build_root).
                out.add(new MountExpectations("/", Optional.of("tmpfs"), flags(MountOp.Flag.RDONLY, MountOp.Flag.NOSUID,
                        MountOp.Flag.NODEV), false));
            }
            for (MountOp m : plan.mounts()) {
                Set<MountOp.Flag> asked = EnumSet.noneOf(MountOp.Flag.class);
                asked.addAll(m.flags());
                asked.remove(MountOp.Flag.OPTIONAL);
                boolean optional = m.flags().contains(MountOp.Flag.OPTIONAL);
                switch (m.kind()) {
                    case OVERLAY -> out.add(new MountExpectations("/", Optional.of("overlay"),
                            flags(MountOp.Flag.NOSUID, MountOp.Flag.NODEV), false));
                    case BIND, INHERITED -> out.add(new MountExpectations(m.target(), Optional.empty(), asked, optional));
                    case TMPFS -> out.add(new MountExpectations(m.target(), Optional.of("tmpfs"), asked, false));
                    case PROC -> out.add(new MountExpectations(m.target(), Optional.of("proc"),
                            flags(MountOp.Flag.NOSUID, MountOp.Flag.NODEV, MountOp.Flag.NOEXEC), false));
                    case DEV -> {
                        asked.addAll(flags(MountOp.Flag.RDONLY, MountOp.Flag.NOSUID, MountOp.Flag.NOEXEC));
                        out.add(new MountExpectations(m.target(), Optional.of("tmpfs"), asked, false));
                        out.add(new MountExpectations(m.target() + "/shm", Optional.of("tmpfs"),
                                flags(MountOp.Flag.NOSUID, MountOp.Flag.NODEV, MountOp.Flag.NOEXEC), false));
                    }
                    // A masked directory gets an empty read-only tmpfs, a masked file /dev/null; both
                    // are skipped when the path does not exist (child.c mount_after_pivot).
                    case MASK -> out.add(new MountExpectations(m.target(), Optional.empty(),
                            flags(MountOp.Flag.RDONLY, MountOp.Flag.NOSUID), true));
                    case READONLY -> out.add(new MountExpectations(m.target(), Optional.empty(),
                            flags(MountOp.Flag.RDONLY, MountOp.Flag.NOSUID, MountOp.Flag.NODEV), true));
                    case SYMLINK -> { }
                }
            }
            return out;
        }

        void check(List<MountRow> table, List<StateDifference> d) {
            MountRow top = null;
            for (MountRow r : table) {
                if (r.mountPoint().equals(target)) {
                    top = r;
                }
            }
            String field = "mount " + target;
            if (top == null) {
                if (!optional) {
                    d.add(new StateDifference(field, describe(fsType.orElse("a mount"), flags), "no mount there"));
                }
                return;
            }
            Set<MountOp.Flag> missing = EnumSet.noneOf(MountOp.Flag.class);
            missing.addAll(flags);
            missing.removeAll(top.flags());
            if (fsType.isPresent() && !fsType.get().equals(top.fsType()) || !missing.isEmpty()) {
                d.add(new StateDifference(field, describe(fsType.orElse("any type"), flags),
                        describe(top.fsType(), top.flags())));
            }
        }

        private static String describe(String type, Set<MountOp.Flag> flags) {
            return type + " " + (flags.isEmpty() ? "(no flags)" : flags.toString());
        }

        private static Set<MountOp.Flag> flags(MountOp.Flag... f) {
            Set<MountOp.Flag> s = EnumSet.noneOf(MountOp.Flag.class);
            s.addAll(List.of(f));
            return s;
        }
    }
}
