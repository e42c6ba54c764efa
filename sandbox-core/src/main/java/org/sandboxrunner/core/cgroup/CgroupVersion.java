package org.sandboxrunner.core.cgroup;

/** Which cgroup interface a {@link CgroupSystem} drives. */
public enum CgroupVersion {
    /** One hierarchy per controller (or per group of co-mounted controllers). */
    V1,
    /** The unified hierarchy (Documentation/admin-guide/cgroup-v2.rst). */
    V2
}
