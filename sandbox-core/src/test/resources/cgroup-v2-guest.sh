#!/bin/sh
# Runs as root inside the cgroup v2 guest (CgroupV2GuestTest). $1 is the test classpath.
# It lays out cgroups the way systemd does for services with Delegate=yes and
# DelegateSubgroup=supervisor, then runs CgroupKernelTest (through GuestMain) as root, its
# permission-dependent tests as an unprivileged user owning a delegated service, and checks that
# the same user is refused where nothing is delegated.
set -eu
cp=$1
cg=/sys/fs/cgroup
all="+cpuset +cpu +io +memory +pids"
main="java -XX:TieredStopAtLevel=1 -Xshare:auto -cp $cp org.sandboxrunner.core.cgroup.GuestMain"

# systemd enables controllers on the path down to a unit that asks for them.
echo "$all" > $cg/cgroup.subtree_control
mkdir $cg/ci.slice
echo "$all" > $cg/ci.slice/cgroup.subtree_control

# 1. root, in the supervisor sub-cgroup of a delegated service.
mkdir -p $cg/ci.slice/judge.service/supervisor
echo $$ > $cg/ci.slice/judge.service/supervisor/cgroup.procs
$main tests $cg/ci.slice/judge.service/sandbox-runner

# The user cannot read the parts of the classpath under /root (the local Maven repository): give
# it copies in this guest's throwaway /tmp.
usercp=
for entry in $(echo "$cp" | tr ':' ' '); do
    case $entry in
        /root/*) copy=/tmp/classpath$(echo "$entry" | tr '/' '_'); cp -r "$entry" "$copy"; chmod -R a+rX "$copy"; entry=$copy;;
    esac
    usercp=$usercp${usercp:+:}$entry
done
main="java -XX:TieredStopAtLevel=1 -Xshare:auto -cp $usercp org.sandboxrunner.core.cgroup.GuestMain"

# 2. uid 1000 in a service delegated to it: systemd hands over the unit's directory and its
#    cgroup.procs, cgroup.subtree_control and cgroup.threads (systemd's Delegate= semantics).
svc=$cg/ci.slice/user.service
mkdir -p $svc/supervisor
chown 1000:1000 $svc $svc/cgroup.procs $svc/cgroup.subtree_control $svc/cgroup.threads
# Only the user's runner may be in the service: enabling cpuset moves every task below it and the
# kernel lets a user move only its own (cpuset_can_attach: security_task_setscheduler). So a
# child shell moves itself there and becomes the runner; this root shell stays where it is.
as_user() {
    sh -c 'echo $$ > "$1"/cgroup.procs; shift; exec setpriv --reuid=1000 --regid=1000 --clear-groups "$@"' sh "$@"
}
# The tests whose outcome depends on permissions (the accounting ones ran as root above).
as_user $svc/supervisor $main tests $svc/sandbox-runner createWritesEveryLimitAndTheKernelReportsIt \
    aProcessWrittenToProcsFilesIsInTheRunsCgroupInEveryHierarchy killAllKillsAForkingTreeHeldByPidsMaxAndNothingElse \
    closeKillsRemovesEveryDirectoryAndCanBeRepeated aFailedLimitWriteNamesTheFileAndLeavesNoLeaf \
    removeStaleRemovesLeavesOfDeadRunnersOnly freezeKillThawRoundsEmptyAForkingTree

# 3. uid 1000 in a service that delegates nothing.
mkdir -p $cg/ci.slice/plain.service/main
as_user $cg/ci.slice/plain.service/main $main refused
