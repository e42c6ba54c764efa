package org.sandboxrunner.core.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.sandboxrunner.core.launch.LaunchPlan;
import org.sandboxrunner.core.launch.Rlimit;
import org.sandboxrunner.policy.Degradation;
import org.sandboxrunner.policy.IdMapping;
import org.sandboxrunner.policy.NamespaceType;
import org.sandboxrunner.policy.Profile;
import org.sandboxrunner.policy.RlimitSpec;
import org.sandboxrunner.policy.UserSpec;

/**
 * Resolves a profile and a request into a {@link LaunchPlan}: id maps, mounts, environment, rlimits
 * and limits. Pure: it reads only the host's symlinks for the read-only view, and decides everything
 * the native stage will do.
 */
final class PlanResolver {
    private final HostFacts host;

    PlanResolver(HostFacts host) {
        this.host = host;
    }

    LaunchPlan resolve(RunRequest request, EffectiveLimits limits, Enforcement enforcement) {
        Profile p = request.profile().profile();
        UserSpec user = p.process().user();
        IdMaps ids = idMaps(p);
        List<Long> groups = user.additionalGids();
        if (ids.setgroupsDeny() && !groups.isEmpty()) {
            throw new IllegalArgumentException("process.user.additionalGids: a runner that is not root cannot set "
                    + "supplementary groups (setgroups is denied in its user namespace); remove them or run as root");
        }
        return new LaunchPlan(p.linux().namespaces(), ids.uidMap(), ids.gidMap(), ids.setgroupsDeny(),
                enforcement.cgroupProcs(), host.newRoot(),
                MountPlanner.plan(p, enforcement.image(), request.workdir(), enforcement.boxFd(), request.binds(), user.uid(),
                        user.gid()),
                p.linux().namespaces().contains(NamespaceType.UTS) ? java.util.Optional.of(p.hostname()) : java.util.Optional.empty(),
                rlimits(p, limits), ids.setupUid(), ids.setupGid(), user.uid(), user.gid(), user.umask(), groups,
                enforcement.capabilities(), enforcement.seccomp(), enforcement.seccompFlags(), request.command(),
                environment(p, request, enforcement.image()), p.process().cwd(),
                micros(limits.wallTimeMs()), enforcement.cpu(), limits.outputBytes(),
                p.linux().namespaces().contains(NamespaceType.NETWORK), enforcement.seccompReport());
    }

    /** The uid_map/gid_map texts and the ids the init uses while setting up. */
    record IdMaps(String uidMap, String gidMap, boolean setgroupsDeny, long setupUid, long setupGid) {}

    IdMaps idMaps(Profile p) {
        UserSpec user = p.process().user();
        if (!host.root()) {
            // user_namespaces(7): an unprivileged process may map exactly its own id, once, and must
            // deny setgroups before writing gid_map.
            if (!p.degrade().contains(Degradation.ID_MAPPING)) {
                requireSelfMapping(p.linux().uidMappings(), user.uid(), host.uid(), "linux.uidMappings", "uid");
                requireSelfMapping(p.linux().gidMappings(), user.gid(), host.gid(), "linux.gidMappings", "gid");
            }
            return new IdMaps(user.uid() + " " + host.uid() + " 1\n", user.gid() + " " + host.gid() + " 1\n", true,
                    user.uid(), user.gid());
        }
        List<IdMapping> uids = p.linux().uidMappings(), gids = p.linux().gidMappings();
        require(uids, user.uid(), "linux.uidMappings", "process.user.uid");
        require(gids, user.gid(), "linux.gidMappings", "process.user.gid");
        for (long g : user.additionalGids()) {
            require(gids, g, "linux.gidMappings", "process.user.additionalGids");
        }
        long setupUid = maps(uids, 0) ? 0 : user.uid();
        long setupGid = maps(gids, 0) ? 0 : user.gid();
        return new IdMaps(mapText(uids), mapText(gids), false, setupUid, setupGid);
    }

    /**
     * Fails closed when the profile's mappings ask for more than the one mapping a runner that is not
     * root can write: nothing (the runner then maps the workload's id onto its own), or exactly that.
     */
    private static void requireSelfMapping(List<IdMapping> maps, long id, long hostId, String field, String kind) {
        if (!selfOrNone(maps, id, hostId)) {
            throw new IllegalArgumentException(field + ": " + describe(maps) + " asks for more than a runner that is "
                    + "not root can map: it may map only its own " + kind + " (" + hostId + "), once "
                    + "(user_namespaces(7)); run the runner as root, or add 'id-mapping' to the profile's degrade "
                    + "list to run with the single mapping " + id + " -> " + hostId);
        }
    }

    private static String describe(List<IdMapping> maps) {
        List<String> parts = new ArrayList<>();
        maps.forEach(m -> parts.add("container " + m.containerRange() + " -> host " + m.hostRange()));
        return String.join(", ", parts);
    }

    /** True when this host's runner cannot honour the profile's mappings and the profile allows the single one. */
    boolean degradesIdMapping(Profile p) {
        UserSpec user = p.process().user();
        return !host.root() && p.degrade().contains(Degradation.ID_MAPPING)
                && !(selfOrNone(p.linux().uidMappings(), user.uid(), host.uid())
                        && selfOrNone(p.linux().gidMappings(), user.gid(), host.gid()));
    }

    private static boolean selfOrNone(List<IdMapping> maps, long id, long hostId) {
        return maps.isEmpty() || maps.equals(List.of(new IdMapping(id, hostId, 1)));
    }

    private static void require(List<IdMapping> maps, long id, String mapField, String idField) {
        if (!maps(maps, id)) {
            throw new IllegalArgumentException(idField + " " + id + " is not mapped by " + mapField);
        }
    }

    private static boolean maps(List<IdMapping> maps, long id) {
        return maps.stream().anyMatch(m -> m.mapsContainerId(id));
    }

    private static String mapText(List<IdMapping> maps) {
        StringBuilder sb = new StringBuilder();
        maps.forEach(m -> sb.append(m.containerId()).append(' ').append(m.hostId()).append(' ').append(m.size()).append('\n'));
        return sb.toString();
    }

    /** The image's environment, the profile's, then the request's; a later KEY replaces an earlier one. */
    private static List<String> environment(Profile p, RunRequest r, java.util.Optional<ImageRoot> image) {
        Map<String, String> env = new LinkedHashMap<>();
        for (List<String> source : List.of(image.map(ImageRoot::env).orElse(List.of()), p.process().env(), r.env())) {
            for (String kv : source) {
                env.put(kv.substring(0, kv.indexOf('=')), kv);
            }
        }
        return new ArrayList<>(env.values());
    }

    private static List<Rlimit> rlimits(Profile p, EffectiveLimits limits) {
        List<Rlimit> out = new ArrayList<>();
        boolean hasCpu = false;
        for (RlimitSpec r : p.process().rlimits()) {
            out.add(new Rlimit(r.type(), r.soft(), r.hard()));
            hasCpu |= r.type().equals("RLIMIT_CPU");
        }
        if (!hasCpu && limits.cpuTimeMs().isPresent()) {
            // A backstop per process, in whole seconds (setrlimit(2)): the supervisor enforces the
            // exact limit over all processes from the cgroup; SIGXCPU at the soft limit, SIGKILL at hard.
            long soft = (limits.cpuTimeMs().getAsLong() + 999) / 1000 + 1;
            out.add(new Rlimit("RLIMIT_CPU", soft, soft + 1));
        }
        return out;
    }

    private static OptionalLong micros(OptionalLong ms) {
        return ms.isPresent() ? OptionalLong.of(ms.getAsLong() * 1000) : OptionalLong.empty();
    }
}
