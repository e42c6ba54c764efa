#!/bin/sh
# Runs as root inside the cgroup v2 guest (CgroupV2GuestTest). $1 is the test classpath.
# It lays out cgroups the way systemd does for services with Delegate=yes and
# DelegateSubgroup=supervisor, then runs CgroupKernelTest (through GuestMain) as root, its
# permission-dependent tests as an unprivileged user owning a delegated service, then the whole
# runner (the CLI) as that user enforcing its limits through the delegated subtree, and checks that
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

# 3. The whole runner as uid 1000 in the delegated service: the CLI with the default profile, no
#    'cgroups' degradation (it must use the delegated subtree or fail), only 'id-mapping' (a user
#    can map only itself). Each check prints one PASS or FAIL line; any FAIL fails the guest.
home=$(mktemp -d /tmp/runner-home.XXXXXX)
chown 1000:1000 "$home"
chmod 700 "$home"
profile=/tmp/rootless.yaml
printf 'apiVersion: sandbox-runner/v1\nname: rootless\nextends: default\ndegrade: [id-mapping]\n' > $profile
chmod 644 $profile
runner="java -XX:TieredStopAtLevel=1 -Xshare:auto -Djna.tmpdir=$home -cp $usercp org.sandboxrunner.core.cli.Main"
failures=0
check() { # NAME CONDITION-COMMAND...: one PASS/FAIL line
    name=$1; shift
    if "$@"; then echo "GUEST uid 1000: runner PASS $name"; else echo "GUEST uid 1000: runner FAIL $name"; failures=$((failures + 1)); fi
}
# run ARGS...: the CLI as the user; the result JSON is left in $home/result.json
run() {
    rm -f "$home/result.json"
    as_user $svc/supervisor env -i PATH=/usr/bin:/bin HOME="$home" XDG_RUNTIME_DIR="$home" \
        $runner run --profile $profile --result "$home/result.json" "$@" > "$home/out" 2>&1 || true
    echo "GUEST uid 1000: runner $(grep -E '"(status|limit|message)"' "$home/result.json" 2>/dev/null | tr -d '\n' | tr -s ' ')"
}
has() { grep -q "$1" "$home/result.json" 2>/dev/null; }
leaves=$svc/sandbox-runner

run -- /bin/true
check "true is OK" has '"status" : "OK"'

run --memory-limit 32M -- /usr/bin/python3 -c 'b = bytearray(256 << 20)'
check "a 256 MiB allocation past --memory-limit 32M is MLE by the cgroup's OOM killer" \
    sh -c "grep -q '\"status\" : \"MLE\"' $home/result.json && grep -q '\"oomKilled\" : true' $home/result.json"

# While the fork bomb runs, a root watcher outside the run's cgroup notes the run's leaf, its
# pids.max and the most processes the leaf ever held (sampled with shell builtins, often).
watch_leaf() {
    leaf= tries=0
    while [ -z "$leaf" ] && [ $tries -lt 1500 ]; do
        for d in $leaves/*/; do [ -f "$d/pids.max" ] && leaf=${d%/}; done
        tries=$((tries + 1))
        [ -n "$leaf" ] || sleep 0.1
    done
    [ -n "$leaf" ] || return 0
    # The runner makes the leaf, then writes its limits: read pids.max until it is set.
    max=max peak=0
    while read n < "$leaf/pids.current" 2>/dev/null; do
        [ "$n" -gt "$peak" ] && peak=$n
        [ "$max" != max ] || read max < "$leaf/pids.max" 2>/dev/null || true
    done
    echo "$leaf $max $peak" > /tmp/watched
}
echo "none 0 0" > /tmp/watched
watch_leaf &
watcher=$!
started=$(date +%s)
run --wall-limit 5 -- /bin/sh -c 'f() { f | f; }; f'
took=$(( $(date +%s) - started ))
wait $watcher
read leaf max peak < /tmp/watched
echo "GUEST uid 1000: runner fork bomb: leaf $leaf, pids.max $max, most processes $peak, $took s"
check "a fork bomb ends RE or TLE" sh -c "grep -Eq '\"status\" : \"(RE|TLE)\"' $home/result.json"
# pids.current may read above pids.max for an instant: a fork adds itself to the counter, compares
# with the limit and takes itself back when over it (kernel/cgroup/pids.c, pids_try_charge), so each
# CPU can hold one such charge at a time. Past 64 plus the CPUs, the limit did not hold.
cpus=$(nproc)
check "the fork bomb's leaf was under the delegated subtree, held by pids.max 64" \
    sh -c "case $leaf in $leaves/*) [ $max = 64 ] && [ $peak -le $((64 + cpus)) ] && [ $peak -gt 1 ];; *) false;; esac"
check "the fork bomb's leaf is gone" test ! -e "$leaf"
check "no leaf is left in $leaves" sh -c "[ -z \"\$(find $leaves -mindepth 1 -type d)\" ]"
check "no process of uid 1000 is left" sh -c "! ps -o uid= -e | grep -qx ' *1000'"
[ $failures -eq 0 ]

# 4. uid 1000 in a service that delegates nothing.
mkdir -p $cg/ci.slice/plain.service/main
as_user $cg/ci.slice/plain.service/main $main refused
