"""Cuts a `perf trace -T` of warm sandbox runs into phases (see bench/phases) and prints their medians.

A run's native part starts when the JVM's worker thread sends the launch to its fork server (sendmsg)
and ends when the server's wait4 for the helper it started returns; before it the JVM makes the run's
cgroups (mkdir), after it reads the server's answer and removes them (rmdir). Inside: the server's
clone of the helper (CLONE_VM|CLONE_VFORK: the call returns only when the helper has exited, so the
helper's start is the call's start), the helper's clone into the new namespaces, the init's first
syscall (unshare of the cgroup namespace), pivot_root, the init's start of the workload, the
workload's seccomp and execve, and the exit_group of each process.
"""
import re
import statistics
import sys

# Bench --phases runs this many warm-up runs first; they are left out.
WARMUP = 10

# perf trace -T lines: "START ( DUR ms): COMM/TID CALL(ARGS) = RET", a call that blocked shows as
# "START (  ): COMM/TID CALL(ARGS) ..." then "START ( DUR ms): COMM/TID  ... [continued]: CALL()) = RET";
# exit_group has no duration ("= ?"); a new child's first return is "? ( ): ... [continued]".
LINE = re.compile(r"^\s*(?P<t>[\d.]+) \(\s*(?P<d>[\d.]+)?(?: ms)?\s*\): (?P<comm>.+?)/(?P<tid>\d+) "
                  r"(?P<cont>\s*\.\.\. \[continued\]: )?(?P<call>\w+)\((?P<args>[^)]*)\)+(?P<rest>.*)$")
RET = re.compile(r"=\s*(-?\d+)")


def events(path):
    with open(path) as f:
        for line in f:
            m = LINE.match(line.rstrip("\n"))
            if not m or m["rest"].rstrip().endswith("..."):
                continue  # unparsed, or the first half of a call whose continuation carries its timing
            ret = RET.search(m["rest"])
            start = float(m["t"])
            yield {"t": start, "end": start + float(m["d"] or 0), "comm": m["comm"], "tid": int(m["tid"]),
                   "call": m["call"], "args": m["args"], "ret": int(ret.group(1)) if ret else None}


def runs(evs):
    """Groups events by run: from a JVM thread's sendmsg to the next; the server's fork (a clone that
    returns the helper's pid) and its wait4 for that pid bound the native part. A blocked wait4 is
    listed at its start, so a run's events are all those before the next launch."""
    current = None
    for e in evs:
        if e["call"] == "sendmsg" and e["comm"] != "sandbox-helper":
            if current is not None:
                yield current
            current = {"jvm": e["tid"], "spawn": e, "ev": []}
        elif current is not None:
            current["ev"].append(e)
    if current is not None:
        yield current


def native_part(run):
    """Adds the server's fork and its wait4 to a run; False when the tracer lost either."""
    fork = first(run["ev"], lambda e: e["call"] == "clone" and e["comm"] == "sandbox-helper" and (e["ret"] or 0) > 0)
    if fork is None:
        return False
    done = first(run["ev"], lambda e: e["call"] == "wait4" and e["tid"] == fork["tid"] and e["ret"] == fork["ret"])
    run.update(server=fork["tid"], helper=fork["ret"], fork=fork, done=done)
    return done is not None


def with_cgroups(evs, runs_list):
    """Adds to each run the JVM's mkdir calls before its spawn (its cgroups) and rmdir calls after its wait4."""
    for i, run in enumerate(runs_list):
        lo = runs_list[i - 1]["done"]["end"] if i > 0 else float("-inf")
        hi = runs_list[i + 1]["spawn"]["t"] if i + 1 < len(runs_list) else float("inf")
        jvm = run["jvm"]
        run["mkdir"] = [e for e in evs if e["tid"] == jvm and e["call"] == "mkdir" and lo <= e["t"] < run["spawn"]["t"]]
        run["rmdir"] = [e for e in evs if e["tid"] == jvm and e["call"] == "rmdir" and run["done"]["end"] <= e["t"] < hi]
    return runs_list


def first(evs, pred):
    return next((e for e in evs if pred(e)), None)


def phases(run):
    ev, helper = run["ev"], run["helper"]
    h_tree = first(ev, lambda e: e["tid"] == helper and e["call"] == "open_tree")
    h_clone = first(ev, lambda e: e["tid"] == helper and e["call"] == "clone")
    init = h_clone["ret"]
    i_first = first(ev, lambda e: e["tid"] == init)
    pivot = first(ev, lambda e: e["tid"] == init and e["call"] == "pivot_root")
    i_fork = first(ev, lambda e: e["tid"] == init and e["call"] == "clone")
    w_exec = first(ev, lambda e: e["tid"] not in (helper, init, run["jvm"], run["server"]) and e["call"] == "execve")
    w_exit = first(ev, lambda e: e["tid"] == w_exec["tid"] and e["call"] == "exit_group")
    i_exit = first(ev, lambda e: e["tid"] == init and e["call"] == "exit_group")
    h_exit = first(ev, lambda e: e["tid"] == helper and e["call"] == "exit_group")
    done = run["done"]
    cgroup_made = run["spawn"]["t"] - run["mkdir"][0]["t"] if run["mkdir"] else 0.0
    cgroup_gone = run["rmdir"][-1]["end"] - done["end"] if run["rmdir"] else 0.0
    return {
        "JVM: create the run's cgroups and write their limits": cgroup_made,
        "JVM sends the launch; the fork server starts the helper": run["fork"]["t"] - run["spawn"]["t"],
        "helper: descriptors in place, read and parse the plan": h_tree["t"] - run["fork"]["t"],
        "helper: open_tree + mount_setattr of each bind source": h_clone["t"] - h_tree["t"],
        "clone into new user/pid/mnt/ipc/uts/net namespaces": h_clone["end"] - h_clone["t"],
        "helper: cgroup, uid/gid maps, release; init starts": i_first["t"] - h_clone["end"],
        "init: mounts up to pivot_root": pivot["end"] - i_first["t"],
        "init: masks, hostname, lo, rlimits, ids, caps, checks": i_fork["t"] - pivot["end"],
        "start of the workload, fds, setsid, seccomp load": w_exec["t"] - i_fork["t"],
        "execve + run of /bin/true": w_exit["end"] - w_exec["t"],
        "init reports and exits": i_exit["end"] - w_exit["end"],
        "helper reports and exits; the server's wait4 returns": done["end"] - i_exit["end"],
        "JVM: the server's answer, the cgroups' figures, kill what is left, remove them": cgroup_gone,
        "total, first mkdir to last rmdir": done["end"] - run["spawn"]["t"] + cgroup_made + cgroup_gone,
    }


def main(path):
    table = {}
    # Lines come in the order calls ended; the server's clone ends after its child has exited.
    evs = sorted(events(path), key=lambda e: e["t"])
    for run in with_cgroups(evs, [r for r in runs(evs) if native_part(r)])[WARMUP:]:
        try:
            for k, v in phases(run).items():
                table.setdefault(k, []).append(v)
        except (TypeError, KeyError):
            continue  # a run the tracer lost events of
    runs_seen = max((len(v) for v in table.values()), default=0)
    # Means add up to the mean total; medians need not (each phase's median is of its own runs).
    print(f"\n| phase ({runs_seen} warm runs of /bin/true) | median ms | mean ms |")
    print("| --- | ---: | ---: |")
    for k, v in table.items():
        print(f"| {k} | {statistics.median(v):.3f} | {statistics.mean(v):.3f} |")


if __name__ == "__main__":
    main(sys.argv[1])
