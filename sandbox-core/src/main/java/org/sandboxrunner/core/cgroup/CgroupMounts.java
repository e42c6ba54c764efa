package org.sandboxrunner.core.cgroup;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a cgroup path from /proc/self/cgroup is on this host: under a mount of its hierarchy whose
 * root (mountinfo field 4) contains it. A container that bind-mounts only its own subtree shows a
 * root like {@code /docker/ID}; the path is then taken relative to it.
 */
final class CgroupMounts {
    private CgroupMounts() {}

    /** A located cgroup: its directory, and whether it is the top of what the mount shows. */
    record Located(Path dir, boolean topOfMount) {}

    static Optional<Located> locate(HostView host, List<MountEntry> mounts, String cgroupPath) throws CgroupException {
        if (cgroupPath.equals("/..") || cgroupPath.startsWith("/../") || cgroupPath.contains("/../")) {
            throw new CgroupException("this runner's cgroup '" + cgroupPath + "' lies outside its cgroup namespace;"
                    + " run it inside the namespace's own tree");
        }
        for (MountEntry mount : mounts) {
            String root = mount.root();
            String relative;
            if (root.equals("/")) {
                relative = cgroupPath;
            } else if (cgroupPath.equals(root) || cgroupPath.startsWith(root + "/")) {
                relative = cgroupPath.substring(root.length());
            } else {
                continue;
            }
            String inside = relative.replaceAll("^/+", "");
            Path mountDir = host.path(mount.mountPoint());
            return Optional.of(new Located(inside.isEmpty() ? mountDir : mountDir.resolve(inside), inside.isEmpty()));
        }
        return Optional.empty();
    }
}
