package org.sandboxrunner.policy;

/** OCI seccomp actions, named as in the spec. */
public enum SeccompAction {
    SCMP_ACT_KILL,
    SCMP_ACT_KILL_PROCESS,
    SCMP_ACT_KILL_THREAD,
    SCMP_ACT_TRAP,
    SCMP_ACT_ERRNO,
    SCMP_ACT_TRACE,
    SCMP_ACT_ALLOW,
    SCMP_ACT_LOG,
    SCMP_ACT_NOTIFY;

    public String ociName() {
        return name();
    }

    /** ERRNO and TRACE carry a number in the filter's return value; the others do not. */
    public boolean takesErrno() {
        return this == SCMP_ACT_ERRNO || this == SCMP_ACT_TRACE;
    }
}
