package org.sandboxrunner.tests.fidelity;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.sandboxrunner.capabilities.CapabilityDiff;
import org.sandboxrunner.capabilities.CapabilitySets;
import org.sandboxrunner.capabilities.KernelCapabilities;
import org.sandboxrunner.capabilities.ProcLimits;
import org.sandboxrunner.capabilities.ProcStatus;
import org.sandboxrunner.capabilities.ProcessIds;
import org.sandboxrunner.capabilities.Rlimit;
import org.sandboxrunner.capabilities.SeccompMode;
import org.sandboxrunner.capabilities.SecureBits;
import org.sandboxrunner.core.launch.ObservedState;
import org.sandboxrunner.core.run.RunRequest;
import org.sandboxrunner.core.run.RunResult;
import org.sandboxrunner.core.run.SandboxSetupException;
import org.sandboxrunner.core.run.Status;
import org.sandboxrunner.policy.IdMapping;
import org.sandboxrunner.policy.RlimitSpec;
import org.sandboxrunner.tests.SandboxFixture;

/**
 * Issue 5's property: for random valid profiles (capability sets, securebits, id mappings, ids,
 * supplementary groups, umask, rlimits), a small real program inside sees exactly what the profile
 * asked, field by field, and so does the state the native stage reported before exec (which the
 * runner's state gate already compared with the plan: a run that reaches here passed it), including
 * the id maps, setgroups, host name, mounts, cgroup and, read after exec, the seccomp filter.
 *
 * <p>The program is {@code sh -c} running {@code cat /proc/self/status}, {@code cat
 * /proc/self/limits}, {@code id}, {@code capsh --print} (securebits are not in /proc) and the id
 * maps. Each of those ran after two execve calls (the shell's, then its own), so its capability sets
 * and securebits are the profile's passed twice through {@code ExecveTransition}
 * ({@link Kernel#throughShell}); the native stage's report is compared with the profile itself.
 * Rlimits the profile leaves out are the runner's own (this JVM's), except RLIMIT_CPU, which the
 * runner derives from the CPU time limit. One Sandbox serves all tries; 200 tries take 20 s to 90 s
 * on a loaded two-core machine.
 */
class StateFidelityPropertyTest {
    private static final String SCRIPT = String.join("\n",
            "echo '==> status'; cat /proc/self/status",
            "echo '==> limits'; cat /proc/self/limits",
            "echo '==> id'; id",
            "echo '==> capsh'; /usr/sbin/capsh --print",
            "echo '==> uid_map'; cat /proc/self/uid_map",
            "echo '==> gid_map'; cat /proc/self/gid_map");
    private static final List<String> NAMESPACES = List.of("user", "pid", "mnt", "ipc", "uts", "net", "cgroup");
    private static final Pattern SECUREBITS = Pattern.compile("(?m)^Securebits: [0-7]+/0x([0-9a-f]+)/");
    private static final Pattern ID = Pattern.compile("^uid=(\\d+)\\S* gid=(\\d+)\\S* groups=(\\S*)\\s*$");

    private static final SandboxFixture fx = SharedSandbox.FX;
    private static KernelCapabilities kernel;
    private static ProcLimits runnerLimits;
    private static Map<String, Long> hostNamespaces;

    @BeforeContainer
    static void readTheHost() throws IOException {
        kernel = KernelCapabilities.read();
        // The sandbox inherits the runner's limits (posix_spawn keeps them): this JVM is the runner.
        runnerLimits = ProcLimits.readSelf();
        hostNamespaces = new HashMap<>();
        for (String ns : NAMESPACES) {
            hostNamespaces.put(ns, Kernel.hostNamespace(ns));
        }
    }

    @Provide
    Arbitrary<FidelityProfile> profiles() {
        return FidelityProfiles.profiles(kernel.lastCap(), runnerLimits);
    }

    @Property(tries = 200)
    void theWorkloadAndTheReportSeeExactlyWhatTheProfileAsked(@ForAll("profiles") FidelityProfile p) {
        RunResult r;
        try {
            r = fx.run(RunRequest.of(SandboxFixture.yaml("fidelity", p.yaml()), List.of("/bin/sh", "-c", SCRIPT)));
        } catch (SandboxSetupException e) {
            throw new AssertionError("the run was refused at step " + e.step() + ": " + e.getMessage() + "\nprofile:\n" + p.yaml(), e);
        }
        String context = "profile:\n" + p.yaml() + "stdout:\n" + SandboxFixture.out(r) + "stderr:\n" + SandboxFixture.err(r);
        if (r.status() != Status.OK) {
            throw new AssertionError("the program ended " + r.status() + " (" + r.message() + ")\n" + context);
        }
        Statistics.label("workload uid").collect(p.uid() == 0 ? "0 (root of the namespace)" : "not 0");
        Statistics.label("container id 0 mapped").collect(p.uidMappings().get(0).containerId() == 0);
        Statistics.label("ambient capabilities").collect(bucket(p.sets().ambient().size()));
        Statistics.label("permitted capabilities").collect(bucket(p.sets().permitted().size()));
        Statistics.label("securebits").collect(bucket(p.securebits().flags().size()));
        Statistics.label("supplementary groups").collect(p.additionalGids().size());
        Statistics.label("rlimits set").collect(p.rlimits().size());
        ObservedState reported = r.state().orElseThrow(() -> new AssertionError("the result carries no state\n" + context));
        Sections out = Sections.parse(SandboxFixture.out(r));
        FieldCheck check = new FieldCheck();
        checkReport(check, p, reported);
        checkStatus(check, p, ProcStatus.parse(out.only("status"), "/proc/self/status in the sandbox"));
        checkLimits(check, p, ProcLimits.parse(out.only("limits"), "/proc/self/limits in the sandbox"), reported);
        checkId(check, p, out.only("id"));
        checkSecurebits(check, p, out.only("capsh"));
        check.equal("uid_map", extents(p.uidMappings()), extents(out.only("uid_map")));
        check.equal("gid_map", extents(p.gidMappings()), extents(out.only("gid_map")));
        check.verify(context);
    }

    /** The native stage's read-back before exec: the profile itself, untransformed. */
    private static void checkReport(FieldCheck check, FidelityProfile p, ObservedState s) {
        CapabilitySets sets = CapabilitySets.fromBitmaps(s.bounding(), s.permitted(), s.effective(), s.inheritable(), s.ambient());
        CapabilityDiff.between(p.capabilities(), sets, new SecureBits(s.securebits())).sentences()
                .forEach(d -> check.mismatch("reported state", d));
        check.equal("reported uids (real effective saved)", List.of(p.uid(), p.uid(), p.uid()), s.uids());
        check.equal("reported gids (real effective saved)", List.of(p.gid(), p.gid(), p.gid()), s.gids());
        check.equal("reported groups", sorted(p.additionalGids()), sorted(s.groups()));
        check.equal("reported no_new_privs", true, s.noNewPrivs());
        for (RlimitSpec spec : p.rlimits()) {
            check.equal("reported " + spec.type(), List.of(spec.soft(), spec.hard()), s.rlimits().get(spec.type()));
        }
        check.equal("reported uid_map", extents(p.uidMappings()), Set.copyOf(s.uidMap()));
        check.equal("reported gid_map", extents(p.gidMappings()), Set.copyOf(s.gidMap()));
        check.equal("reported setgroups", "allow", s.setgroups());
        check.equal("reported hostname", "sandbox", s.hostname());
        check.equal("reported /proc", "proc", topMount(s, "/proc"));
        check.equal("reported /tmp", "tmpfs", topMount(s, "/tmp"));
        check.equal("reported /box", "tmpfs", topMount(s, "/box"));
        check.equal("reported cgroup (a leaf of its own)", true, s.cgroups().stream().anyMatch(c -> !c.endsWith(":/")));
        check.equal("reported seccomp (after exec)", Optional.of(new ObservedState.SeccompState(2, 1)), s.seccomp());
        for (String ns : NAMESPACES) {
            Long inode = s.namespaceInodes().get(ns);
            if (inode == null || inode.equals(hostNamespaces.get(ns))) {
                check.mismatch("reported " + ns + " namespace", "expected a new one, observed " + inode
                        + " (the host's is " + hostNamespaces.get(ns) + ")");
            }
        }
    }

    private static void checkStatus(FieldCheck check, FidelityProfile p, ProcStatus status) {
        CapabilityDiff.betweenSets(Kernel.throughShell(p.capabilities(), p.uid()).sets(), status.capabilities()).sentences()
                .forEach(d -> check.mismatch("status", d));
        check.equal("status NoNewPrivs", true, status.noNewPrivs());
        check.equal("status Seccomp", SeccompMode.FILTER, status.seccomp());
        check.equal("status Uid", ProcessIds.all(p.uid()), status.uids());
        check.equal("status Gid", ProcessIds.all(p.gid()), status.gids());
        check.equal("status Groups", sorted(p.additionalGids()), sorted(status.groups()));
        check.equal("status Umask", String.format("%04o", p.umask()), String.format("%04o", status.umask()));
    }

    /**
     * Every row: the profile's limit where it sets one; otherwise the runner's own, which the sandbox
     * inherits, except RLIMIT_CPU, which the runner then sets from the CPU time limit (a per-process
     * backstop, docs/ARCHITECTURE.md) and reports.
     */
    private static void checkLimits(FieldCheck check, FidelityProfile p, ProcLimits seen, ObservedState reported) {
        for (Rlimit resource : Rlimit.values()) {
            String type = resource.resourceName();
            List<Long> expected = p.rlimit(type).map(r -> List.of(r.soft(), r.hard()))
                    .orElseGet(() -> resource == Rlimit.CPU ? reported.rlimits().get(type)
                            : List.of(runnerLimits.get(resource).soft().raw(), runnerLimits.get(resource).hard().raw()));
            ProcLimits.Row row = seen.get(resource);
            check.equal("limits " + type + (p.rlimit(type).isPresent() ? "" : " (not in the profile)"), expected,
                    List.of(row.soft().raw(), row.hard().raw()));
        }
    }

    /** {@code id}: uid, gid, and the groups, which coreutils prints as the gid and then the others. */
    private static void checkId(FieldCheck check, FidelityProfile p, String text) {
        Matcher m = ID.matcher(text.strip());
        if (!m.matches()) {
            check.mismatch("id", "unexpected output '" + text.strip() + "'");
            return;
        }
        check.equal("id uid", p.uid(), Long.parseLong(m.group(1)));
        check.equal("id gid", p.gid(), Long.parseLong(m.group(2)));
        List<Long> groups = Pattern.compile("(\\d+)(\\([^)]*\\))?").matcher(m.group(3)).results()
                .map(g -> Long.parseLong(g.group(1))).toList();
        Set<Long> others = p.additionalGids().stream().filter(g -> g != p.gid()).collect(Collectors.toSet());
        check.equal("id groups (the gid first)", p.gid(), groups.isEmpty() ? null : groups.get(0));
        check.equal("id groups (the others)", others, groups.stream().skip(1).collect(Collectors.toSet()));
    }

    private static void checkSecurebits(FieldCheck check, FidelityProfile p, String capsh) {
        Matcher m = SECUREBITS.matcher(capsh);
        if (!m.find()) {
            check.mismatch("securebits", "capsh --print has no Securebits line:\n" + capsh);
            return;
        }
        check.equal("securebits (capsh)", Kernel.throughShell(p.capabilities(), p.uid()).securebits(), new SecureBits(Integer.parseInt(m.group(1), 16)));
    }

    /** The file system type of the topmost mount at a path, or "(none)". */
    private static String topMount(ObservedState s, String point) {
        return s.mounts().stream().filter(m -> m.mountPoint().equals(point)).reduce((a, b) -> b)
                .map(m -> m.fsType()).orElse("(none)");
    }

    private static Set<List<Long>> extents(List<IdMapping> maps) {
        return maps.stream().map(m -> List.of(m.containerId(), m.hostId(), m.size())).collect(Collectors.toSet());
    }

    private static Set<List<Long>> extents(String mapFile) {
        return mapFile.lines().map(l -> List.of(l.trim().split("\\s+")).stream().map(Long::parseLong).toList())
                .collect(Collectors.toSet());
    }

    /**
     * Supplementary groups as a set: setgroups(2) keeps them sorted by host gid (groups_sort in
     * kernel/groups.c), so inside they come in the order of the mapping, not the profile's.
     */
    private static List<Long> sorted(List<Long> ids) {
        return ids.stream().sorted().toList();
    }

    private static String bucket(int n) {
        return n == 0 ? "none" : n <= 3 ? "1-3" : "more";
    }

}
