package org.sandboxrunner.core.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.sandboxrunner.core.launch.MountRow;
import org.sandboxrunner.core.launch.ObservedState;
import org.sandboxrunner.core.launch.Rlimit;
import org.sandboxrunner.core.run.ResolvedProfile;
import org.sandboxrunner.policy.IdMapping;
import org.sandboxrunner.policy.NamespaceType;
import org.sandboxrunner.policy.Profile;
import org.sandboxrunner.policy.RlimitSpec;

/**
 * {@code --show-state}: everything the kernel held before exec (and the workload's seccomp state
 * after it), beside what the profile asked. Rlimits are the plan's: the profile's, and the RLIMIT_CPU
 * backstop the runner adds for a CPU time limit when the profile sets none.
 */
final class StateReport {
    private StateReport() {}

    static String render(ResolvedProfile resolved, ObservedState s) {
        Profile p = resolved.profile();
        StringBuilder out = new StringBuilder("state before exec (profile " + p.name() + ", sha256 " + resolved.sha256() + ")\n");
        row(out, "field", "requested", "observed");
        var caps = p.process().capabilities();
        row(out, "bounding", names(caps.bounding()), hex(s.bounding()));
        row(out, "permitted", names(caps.permitted()), hex(s.permitted()));
        row(out, "effective", names(caps.effective()), hex(s.effective()));
        row(out, "inheritable", names(caps.inheritable()), hex(s.inheritable()));
        row(out, "ambient", names(caps.ambient()), hex(s.ambient()));
        row(out, "securebits", names(p.process().securebits()), Integer.toString(s.securebits()));
        row(out, "uid (r e s)", Long.toString(p.process().user().uid()), join(s.uids()));
        row(out, "gid (r e s)", Long.toString(p.process().user().gid()), join(s.gids()));
        row(out, "groups", join(p.process().user().additionalGids()), join(s.groups()));
        row(out, "no_new_privs", "1", s.noNewPrivs() ? "1" : "0");
        for (Map.Entry<String, List<Long>> r : new TreeMap<>(s.rlimits()).entrySet()) {
            Optional<RlimitSpec> asked = p.process().rlimits().stream().filter(x -> x.type().equals(r.getKey())).findFirst();
            row(out, r.getKey(), asked.map(x -> limit(x.soft()) + " " + limit(x.hard()))
                    .orElse("(runner: CPU time limit backstop)"), limit(r.getValue().get(0)) + " " + limit(r.getValue().get(1)));
        }
        for (Map.Entry<String, Long> ns : new TreeMap<>(s.namespaceInodes()).entrySet()) {
            row(out, "ns " + ns.getKey(), "new", Long.toString(ns.getValue()));
        }
        rows(out, "uid_map", maps(p.linux().uidMappings()), extents(s.uidMap()));
        rows(out, "gid_map", maps(p.linux().gidMappings()), extents(s.gidMap()));
        row(out, "setgroups", "", s.setgroups());
        row(out, "hostname", p.linux().namespaces().contains(NamespaceType.UTS) ? p.hostname() : "(the host's)", s.hostname());
        row(out, "mounts", "", s.mounts().size() + " sha256 " + s.mountTableSha256());
        for (MountRow m : s.mounts()) {
            row(out, "mount", "", m.mountPoint() + " " + m.fsType() + " " + String.join(",", m.options()));
        }
        s.cgroups().forEach(c -> row(out, "cgroup", "", c));
        row(out, "seccomp", p.linux().seccomp().isPresent() ? "filter (read after exec)" : "(none)",
                s.seccomp().map(x -> "mode " + x.mode() + ", " + x.filters() + " filter(s)").orElse("(not read)"));
        return out.toString();
    }

    /** Rows whose requested and observed sides are lists of lines, side by side. */
    private static void rows(StringBuilder out, String field, List<String> requested, List<String> observed) {
        for (int i = 0; i < Math.max(1, Math.max(requested.size(), observed.size())); i++) {
            row(out, field, i < requested.size() ? requested.get(i) : "", i < observed.size() ? observed.get(i) : "");
        }
    }

    private static void row(StringBuilder out, String field, String requested, String observed) {
        out.append(String.format("  %-16s %-40s %s%n", field, requested, observed));
    }

    private static String limit(long v) {
        return v == Rlimit.INFINITY ? "unlimited" : Long.toUnsignedString(v);
    }

    private static List<String> maps(List<IdMapping> maps) {
        return maps.stream().map(m -> m.containerId() + " " + m.hostId() + " " + m.size()).toList();
    }

    private static List<String> extents(List<List<Long>> extents) {
        return extents.stream().map(StateReport::join).toList();
    }

    private static String names(List<String> names) {
        return names.isEmpty() ? "(none)" : String.join(",", names);
    }

    private static String hex(long bits) {
        return String.format("%016x", bits);
    }

    private static String join(List<Long> values) {
        return values.isEmpty() ? "(none)" : values.stream().map(String::valueOf).reduce((a, b) -> a + " " + b).orElse("");
    }
}
