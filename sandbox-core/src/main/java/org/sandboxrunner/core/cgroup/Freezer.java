package org.sandboxrunner.core.cgroup;

import java.nio.file.Path;

/**
 * Stops and restarts every task of a cgroup, so that a kill round sees a tree that cannot fork
 * while it is being signalled. v1: {@code freezer.state} FROZEN/THAWED, read back until it says
 * FROZEN (it says FREEZING meanwhile). v2: {@code cgroup.freeze} 1/0, with {@code cgroup.events}
 * reporting {@code frozen 1} once done.
 */
record Freezer(Path control, String freezeValue, String thawValue, Path stateFile, String frozenLine) {
    /** Freezing normally takes microseconds; a task in an uninterruptible sleep can delay it. */
    private static final long FREEZE_WAIT_NANOS = 100_000_000L;

    static Freezer v1(Path leaf) {
        return new Freezer(leaf.resolve("freezer.state"), "FROZEN", "THAWED", leaf.resolve("freezer.state"), "FROZEN");
    }

    static Freezer v2(Path leaf) {
        return new Freezer(leaf.resolve("cgroup.freeze"), "1", "0", leaf.resolve("cgroup.events"), "frozen 1");
    }

    /**
     * Asks the kernel to freeze and waits a short while for it. A tree that does not freeze in time
     * is killed all the same: the round only loses its guarantee that no fork slips through, and
     * the next round catches what did.
     */
    void freeze() throws CgroupException, InterruptedException {
        CgroupFiles.write(control, freezeValue);
        long deadline = System.nanoTime() + FREEZE_WAIT_NANOS;
        while (!isFrozen() && System.nanoTime() - deadline < 0) {
            TreeKiller.pause();
        }
    }

    /** True once every task of the cgroup is frozen. */
    boolean isFrozen() throws CgroupException {
        return CgroupFiles.read(stateFile).lines().map(String::strip).anyMatch(frozenLine::equals);
    }

    void thaw() throws CgroupException {
        CgroupFiles.write(control, thawValue);
    }
}
