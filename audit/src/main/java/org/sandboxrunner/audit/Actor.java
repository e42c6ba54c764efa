package org.sandboxrunner.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Who wrote an event: the writing process, its user and the runner version.
 *
 * @param uid the process's effective uid
 * @param user the user name the JVM reports
 * @param pid the process id
 * @param version the runner version
 */
public record Actor(long uid, String user, long pid, String version) {

    public Actor {
        Objects.requireNonNull(user, "user");
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("runner version is missing");
        }
        if (uid < 0 || pid <= 0) {
            throw new IllegalArgumentException("uid " + uid + " or pid " + pid + " is out of range");
        }
    }

    /**
     * This process. The uid is the owner of {@code /proc/self}, which proc(5) gives the effective
     * uid of the process, so no native call is needed.
     */
    public static Actor currentProcess(String version) throws IOException {
        Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        return new Actor(((Number) uid).longValue(), System.getProperty("user.name", ""), ProcessHandle.current().pid(), version);
    }
}
