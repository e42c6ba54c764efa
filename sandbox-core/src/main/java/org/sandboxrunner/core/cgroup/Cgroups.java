package org.sandboxrunner.core.cgroup;

/** Finds how this host's cgroups can be used (see {@link CgroupDetector} for the rules). */
public final class Cgroups {
    private Cgroups() {}

    /** Detects the hierarchy with the default project name and kill timeout. */
    public static CgroupSystem detect() throws CgroupException {
        return detect(CgroupConfig.defaults());
    }

    /**
     * Probes /proc/self/mountinfo and /proc/self/cgroup (never the kernel version).
     *
     * @throws CgroupException "no usable cgroup hierarchy for controller X: ..." when a controller
     *                         every run needs is missing, or when the place leaves would go is not
     *                         writable (no delegated subtree for a non-root runner)
     */
    public static CgroupSystem detect(CgroupConfig config) throws CgroupException {
        return CgroupDetector.detect(HostView.real(), config);
    }
}
