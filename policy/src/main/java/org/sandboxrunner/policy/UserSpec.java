package org.sandboxrunner.policy;

import java.util.List;

/** OCI {@code process.user}: ids inside the user namespace. */
public record UserSpec(long uid, long gid, int umask, List<Long> additionalGids) {

    public UserSpec {
        Checks.nonNegative(uid, "process.user.uid");
        Checks.nonNegative(gid, "process.user.gid");
        if (umask < 0 || umask > 0777) {
            throw new IllegalArgumentException("process.user.umask must be between 0 and 0777, got " + umask);
        }
        additionalGids = Checks.list(additionalGids, "process.user.additionalGids");
    }
}
