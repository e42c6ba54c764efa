package org.sandboxrunner.core.launch;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.sandboxrunner.policy.NamespaceType;

/**
 * Everything the native stage needs, fully resolved: no names to look up, no defaults, no policy.
 * Built by {@code PlanResolver} from a profile and a request; encoded by {@link PlanEncoder}.
 *
 * @param setupUid a mapped id inside the namespace to hold while setting up (files created on the
 *                 new root must belong to a mapped id)
 * @param seccomp  raw BPF ({@code struct sock_filter[]}) compiled by libseccomp, empty for no filter
 * @param seccompReport the profile's own program when the run reports denied syscalls: {@code seccomp}
 *                 is then its notifying copy and {@code seccompFlags} has NEW_LISTENER; the supervisor
 *                 decides each notified call with this program
 */
public record LaunchPlan(
        Set<NamespaceType> namespaces,
        String uidMap,
        String gidMap,
        boolean setgroupsDeny,
        List<Path> cgroupProcs,
        Path newRoot,
        List<MountOp> mounts,
        Optional<String> hostname,
        List<Rlimit> rlimits,
        long setupUid,
        long setupGid,
        long uid,
        long gid,
        int umask,
        List<Long> groups,
        CapabilityPlan capabilities,
        Optional<byte[]> seccomp,
        int seccompFlags,
        List<String> argv,
        List<String> env,
        String cwd,
        OptionalLong wallLimitMicros,
        Optional<CpuWatch> cpu,
        OptionalLong outputLimitBytes,
        boolean loopback,
        Optional<byte[]> seccompReport) {

    public LaunchPlan {
        namespaces = Set.copyOf(namespaces);
        if (!namespaces.contains(NamespaceType.USER)) {
            throw new IllegalArgumentException("a plan always creates a user namespace");
        }
        cgroupProcs = List.copyOf(cgroupProcs);
        mounts = List.copyOf(mounts);
        rlimits = List.copyOf(rlimits);
        groups = List.copyOf(groups);
        seccomp = seccomp.map(b -> Arrays.copyOf(b, b.length));
        seccompReport = seccompReport.map(b -> Arrays.copyOf(b, b.length));
        if (seccompReport.isPresent() && seccomp.isEmpty()) {
            throw new IllegalArgumentException("a denied-syscall report needs the notifying filter it serves");
        }
        argv = List.copyOf(argv);
        env = List.copyOf(env);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("no command to run");
        }
        if (!cwd.startsWith("/")) {
            throw new IllegalArgumentException("cwd must be absolute: " + cwd);
        }
    }

    @Override
    public Optional<byte[]> seccomp() {
        return seccomp.map(b -> Arrays.copyOf(b, b.length));
    }

    @Override
    public Optional<byte[]> seccompReport() {
        return seccompReport.map(b -> Arrays.copyOf(b, b.length));
    }
}
