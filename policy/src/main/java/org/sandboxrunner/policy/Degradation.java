package org.sandboxrunner.policy;

import java.util.Locale;

/**
 * Kernel features a profile may let the run go on without. By default none: a missing feature
 * refuses the run (fail closed); an allowed degradation is written to the audit log.
 */
public enum Degradation {
    /** Run without cgroup limits and cgroup accounting when no writable cgroup hierarchy exists. */
    CGROUPS,
    /** Run without the seccomp user-notification listener (the filter itself is never optional). */
    SECCOMP_LISTENER,
    /**
     * Run a runner that is not root with the single mapping user_namespaces(7) allows it (the
     * workload's uid and gid onto the runner's own) when the profile's uid/gid mappings ask for more.
     */
    ID_MAPPING;

    /** How profiles write it: {@code cgroups}, {@code seccomp-listener}, {@code id-mapping}. */
    public String profileName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
