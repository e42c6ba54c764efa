package org.sandboxrunner.core.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides which cgroup interface to drive, from what is mounted and where this runner sits:
 *
 * <ol>
 *   <li>cgroup v2 when a cgroup2 filesystem is mounted and the cgroup that would hold the project
 *       parent offers {@value #V2_BASELINE_TEXT} in its {@code cgroup.controllers} (a controller
 *       bound to a v1 hierarchy is never offered on v2, so a hybrid host with an empty unified
 *       hierarchy, like systemd's "hybrid" layout, falls through to v1);</li>
 *   <li>otherwise cgroup v1, when memory, pids, cpuacct and freezer each have a mounted hierarchy;</li>
 *   <li>otherwise "no usable cgroup hierarchy for controller X".</li>
 * </ol>
 *
 * The place must also be writable by this runner: for a non-root runner that means a delegated
 * subtree (systemd {@code Delegate=yes}), or a project parent an administrator made and handed over.
 */
final class CgroupDetector {
    static final String V2_BASELINE_TEXT = "memory and pids";
    static final List<String> V2_BASELINE = List.of("memory", "pids");
    /** cpuacct for CPU time, freezer for killing a forking tree, memory and pids for their limits. */
    static final List<String> V1_BASELINE = List.of("memory", "pids", "cpuacct", "freezer");
    /** Attached only when a limit needs them. */
    static final List<String> V1_OPTIONAL = List.of("cpu", "cpuset", "blkio");

    private CgroupDetector() {}

    static CgroupSystem detect(HostView host, CgroupConfig config) throws CgroupException {
        List<MountEntry> mounts = MountEntry.parseAll(host.read("/proc/self/mountinfo"));
        List<ProcCgroupEntry> cgroups = ProcCgroupEntry.parseAll(host.read("/proc/self/cgroup"));
        ProcessIdentity self = ProcessIdentity.self(host);

        Optional<V2Site> v2 = v2Site(host, mounts, cgroups);
        if (v2.isPresent() && v2.get().offered().containsAll(V2_BASELINE)) {
            return v2System(v2.get(), config, host, self);
        }
        List<V1Hierarchy> v1 = v1Hierarchies(host, mounts, cgroups);
        Set<String> v1Controllers = v1.stream().flatMap(h -> h.controllers().stream()).collect(Collectors.toSet());
        for (String controller : V1_BASELINE) {
            if (!v1Controllers.contains(controller)) {
                throw new CgroupException("no usable cgroup hierarchy for controller " + controller
                        + ": it is not mounted as a cgroup v1 hierarchy, and " + v2Explanation(v2));
            }
        }
        for (V1Hierarchy hierarchy : v1) {
            if (!Collections.disjoint(hierarchy.controllers(), V1_BASELINE)) {
                requireWritable(hierarchy.runnerDir().resolve(config.projectName()), hierarchy.runnerDir(),
                        hierarchy.runnerDir(), "cgroup v1 " + String.join(",", hierarchy.controllers()) + " hierarchy");
            }
        }
        return new V1CgroupSystem(v1, config, host, self);
    }

    /** Where v2 leaves would go, and what that place offers. */
    record V2Site(Path runnerDir, Optional<Path> base, Set<String> offered) {}

    private static Optional<V2Site> v2Site(HostView host, List<MountEntry> mounts, List<ProcCgroupEntry> cgroups)
            throws CgroupException {
        List<MountEntry> v2Mounts = mounts.stream().filter(m -> m.fsType().equals("cgroup2")).toList();
        Optional<ProcCgroupEntry> line = cgroups.stream().filter(ProcCgroupEntry::isUnified).findFirst();
        if (v2Mounts.isEmpty() || line.isEmpty()) {
            return Optional.empty();
        }
        Optional<CgroupMounts.Located> located = CgroupMounts.locate(host, v2Mounts, line.get().path());
        if (located.isEmpty()) {
            return Optional.empty();
        }
        Path runnerDir = located.get().dir();
        // The root cgroup alone has no cgroup.type (cgroup-v2.rst), and alone may hold processes and
        // enable controllers for children at once. Any other cgroup holding this runner cannot give
        // its children controllers (the "no internal processes" rule), so the project parent goes
        // in the runner's parent, next to the runner's own cgroup.
        Optional<Path> base;
        if (!Files.exists(runnerDir.resolve("cgroup.type"))) {
            base = Optional.of(runnerDir);
        } else if (located.get().topOfMount()) {
            base = Optional.empty();
        } else {
            base = Optional.of(runnerDir.getParent());
        }
        // A hierarchy that does not show this runner's cgroup offers nothing; v1 may still serve.
        Path offeredBy = base.orElse(runnerDir).resolve("cgroup.controllers");
        Set<String> offered = Files.exists(offeredBy) ? CgroupFiles.words(CgroupFiles.read(offeredBy)) : Set.of();
        return Optional.of(new V2Site(runnerDir, base, offered));
    }

    private static CgroupSystem v2System(V2Site site, CgroupConfig config, HostView host, ProcessIdentity self)
            throws CgroupException {
        if (site.base().isEmpty()) {
            throw new CgroupException("cgroup v2: this runner's cgroup " + site.runnerDir() + " is the top of the"
                    + " hierarchy it can see but not the root cgroup, and it holds the runner's processes, so no"
                    + " cgroup below it may have controllers (the no-internal-processes rule); start the runner in a"
                    + " child cgroup (e.g. move it to " + site.runnerDir().resolve("runner") + " first)");
        }
        Path base = site.base().get();
        // Moving the child from the runner's cgroup to a leaf needs write access to cgroup.procs of
        // their common ancestor, which is the base (cgroup-v2.rst "Delegation Containment").
        requireWritable(base.resolve(config.projectName()), base, base.resolve("cgroup.procs"), "cgroup v2 subtree");
        return new V2CgroupSystem(base, config, host, self);
    }

    private static List<V1Hierarchy> v1Hierarchies(HostView host, List<MountEntry> mounts, List<ProcCgroupEntry> cgroups)
            throws CgroupException {
        List<V1Hierarchy> hierarchies = new ArrayList<>();
        List<String> wanted = new ArrayList<>(V1_BASELINE);
        wanted.addAll(V1_OPTIONAL);
        for (ProcCgroupEntry line : cgroups) {
            if (line.isUnified() || Collections.disjoint(line.controllers(), wanted)) {
                continue;
            }
            List<MountEntry> hierarchyMounts = mounts.stream()
                    .filter(m -> m.fsType().equals("cgroup") && m.superOptions().containsAll(line.controllers()))
                    .toList();
            Optional<CgroupMounts.Located> located = CgroupMounts.locate(host, hierarchyMounts, line.path());
            if (located.isPresent()) {
                hierarchies.add(new V1Hierarchy(Set.copyOf(line.controllers()), located.get().dir()));
            }
        }
        return hierarchies;
    }

    /**
     * The project parent must be writable if it exists (an administrator may make it and hand it
     * to the runner's user); otherwise the directory it would be made in must be, and so must the
     * file a child is moved through.
     */
    private static void requireWritable(Path projectParent, Path madeIn, Path movesThrough, String what)
            throws CgroupException {
        Path dir = Files.isDirectory(projectParent) ? projectParent : madeIn;
        for (Path path : List.of(dir, movesThrough)) {
            if (!Files.isWritable(path)) {
                throw new CgroupException("no writable " + what + ": " + path + " is not writable by this user;"
                        + " run the runner as root, in a delegated cgroup (systemd: Delegate=yes), or have an"
                        + " administrator create " + projectParent + " and give it to this user");
            }
        }
    }

    private static String v2Explanation(Optional<V2Site> v2) {
        if (v2.isEmpty()) {
            return "no cgroup2 filesystem is mounted (or this runner's cgroup is not visible in it)";
        }
        Path offeredBy = v2.get().base().orElse(v2.get().runnerDir());
        return "cgroup v2 does not offer it at " + offeredBy + " (cgroup.controllers: '"
                + String.join(" ", v2.get().offered()) + "'); cgroup v2 needs " + V2_BASELINE_TEXT;
    }
}
