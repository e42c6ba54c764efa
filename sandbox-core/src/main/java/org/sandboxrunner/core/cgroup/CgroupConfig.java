package org.sandboxrunner.core.cgroup;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the runner uses cgroups.
 *
 * @param projectName the parent cgroup every run's leaf lives under (one per hierarchy on v1)
 * @param killTimeout how long {@link RunCgroup#killAll()} and {@link RunCgroup#close()} keep trying
 *                    before they report the processes or directories that remain
 */
public record CgroupConfig(String projectName, Duration killTimeout) {
    public static final String DEFAULT_PROJECT_NAME = "sandbox-runner";
    public static final Duration DEFAULT_KILL_TIMEOUT = Duration.ofSeconds(5);

    // A single path component the kernel accepts and that cannot collide with control files
    // (those all contain a dot after a controller name, so a leading dot or slash is refused too).
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    public CgroupConfig {
        Objects.requireNonNull(projectName, "projectName");
        Objects.requireNonNull(killTimeout, "killTimeout");
        if (!NAME.matcher(projectName).matches()) {
            throw new IllegalArgumentException("cgroup projectName must be 1-64 letters, digits, '_' or '-'"
                    + " starting with a letter or digit, got '" + projectName + "'");
        }
        if (killTimeout.isNegative() || killTimeout.isZero()) {
            throw new IllegalArgumentException("cgroup killTimeout must be positive, got " + killTimeout);
        }
    }

    public static CgroupConfig defaults() {
        return new CgroupConfig(DEFAULT_PROJECT_NAME, DEFAULT_KILL_TIMEOUT);
    }
}
