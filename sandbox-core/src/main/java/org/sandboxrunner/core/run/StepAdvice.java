package org.sandboxrunner.core.run;

/** One sentence a user can act on, per failed set-up step of the native stage. */
final class StepAdvice {
    private static final int EPERM = 1, ENOENT = 2, EACCES = 13, EINVAL = 22, ENOSPC = 28, ELOOP = 40;

    private StepAdvice() {}

    static String forStep(String step, int errno) {
        return switch (step) {
            case "plan" -> "The runner and its native stage disagree; rebuild both with 'mvn -DskipTests package'.";
            case "clone" -> errno == ENOSPC || errno == EPERM || errno == EINVAL
                    ? "The kernel refused new namespaces: check user.max_user_namespaces and kernel.unprivileged_userns_clone."
                    : "The kernel could not create the sandbox's process.";
            case "cgroup" -> "The run's cgroup could not take the process; check that the cgroup hierarchy is writable.";
            case "idmap" -> "The id mapping was refused: a runner that is not root can map only its own uid and gid.";
            case "mounts" -> errno == ENOENT
                    ? "A bind source or mount point does not exist; check --bind, --workdir and the profile's mounts."
                    : errno == ELOOP
                    ? "A bind source is or passes through a symbolic link, which is never followed; bind the real path."
                    : errno == EACCES || errno == EPERM
                            ? "The sandbox's ids may not reach that path; bind something they can read."
                            : "A mount of the sandbox's filesystem view failed.";
            case "mount-private", "rootfs", "pivot-root", "masks" -> "The sandbox's root could not be built; the kernel "
                    + "must allow mounts in a new user namespace.";
            case "cwd" -> "The profile's working directory does not exist inside the sandbox.";
            case "rlimits" -> "A resource limit could not be set; check the profile's process.rlimits.";
            case "bounding", "credentials", "capabilities" -> "The profile's ids or capabilities could not be applied; "
                    + "check process.user, the id mappings and process.capabilities.";
            case "no-new-privs" -> "no_new_privs could not be set; the kernel is too old for this runner.";
            case "verify-state" -> "The kernel's state differs from the profile after set-up; the run was refused.";
            case "verify-seccomp" -> "The workload was running without the profile's seccomp filter, so it was killed.";
            case "seccomp" -> "The seccomp filter was refused by the kernel; check the profile's linux.seccomp.";
            case "setup-ids" -> "The set-up ids are not mapped; check linux.uidMappings and linux.gidMappings.";
            case "cgroup-namespace", "hostname", "loopback" -> "The kernel refused to configure the sandbox's namespaces.";
            default -> "The sandbox could not be set up.";
        };
    }
}
