package org.sandboxrunner.core.cgroup;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * One mounted cgroup v1 hierarchy and where this runner sits in it.
 *
 * @param controllers the controllers bound to it (e.g. {@code cpu, cpuacct} when co-mounted)
 * @param runnerDir   this runner's cgroup directory in it; the project parent is made inside
 */
record V1Hierarchy(Set<String> controllers, Path runnerDir) {

    V1Hierarchy {
        controllers = Set.copyOf(controllers);
        Objects.requireNonNull(runnerDir, "runnerDir");
    }

    Path projectParent(String projectName) {
        return runnerDir.resolve(projectName);
    }
}
