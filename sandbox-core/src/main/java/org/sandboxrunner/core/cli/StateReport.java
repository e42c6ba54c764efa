package org.sandboxrunner.core.cli;

import java.util.List;
import java.util.Map;
import org.sandboxrunner.core.launch.ObservedState;
import org.sandboxrunner.core.run.ResolvedProfile;
import org.sandboxrunner.policy.Profile;
import org.sandboxrunner.policy.RlimitSpec;

/** {@code --show-state}: what the kernel held before exec, beside what the profile asked. */
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
        for (RlimitSpec r : p.process().rlimits()) {
            row(out, r.type(), r.soft() + " " + r.hard(), join(s.rlimits().getOrDefault(r.type(), List.of())));
        }
        for (Map.Entry<String, Long> ns : new java.util.TreeMap<>(s.namespaceInodes()).entrySet()) {
            row(out, "ns " + ns.getKey(), "new", Long.toString(ns.getValue()));
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String field, String requested, String observed) {
        out.append(String.format("  %-16s %-40s %s%n", field, requested, observed));
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
