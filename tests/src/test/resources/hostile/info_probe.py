#!/usr/bin/python3
"""Looks for facts about the host that a sandbox should not learn. One question per run:

  hostname NAME           is the host's name (NAME) what uname or /proc/sys/kernel/hostname says?
  pids MARKER             does any process in /proc carry MARKER (the test's canary outside) in its
                          command line?
  mounts PATH...          does /proc/self/mountinfo show any of the host's mount points (PATH...)?
  interfaces              is there any network interface but lo?
  dmesg                   can the kernel log be read (syslog(2) READ_ALL, /dev/kmsg, /proc/kmsg)?
  kcore                   can /proc/kcore (the kernel's memory as an ELF core) be read?
  kallsyms                does /proc/kallsyms give any kernel address that is not zero?
  environ [--init] NAME=VALUE...
                          does this process's environment, or (--init, only inside: outside pid 1 is
                          not the test's) the init's, hold any of the runner's variables?

Must learn nothing inside: a UTS namespace with the profile's hostname; a pid namespace and a
/proc of its own; a mount namespace built from an empty tmpfs root; a network namespace with only
lo; syslog(2) and /proc/kmsg need CAP_SYSLOG in the initial user namespace (kernel.dmesg_restrict=1)
and /dev has no kmsg; /proc/kcore is masked; kallsyms shows zeros without CAP_SYSLOG
(kernel.kptr_restrict and perf_event_paranoid); the environment is the profile's, and /proc/1/environ
needs ptrace access to the non-dumpable init. Outside, as root, each question finds its answer.

Prints worked/blocked/note lines like the C programs; exit 0 when it learnt the fact, 3 when not.
"""
import ctypes
import errno
import os
import socket
import sys

found = False


def line(kind, step, detail):
    print(kind, step, detail, flush=True)


def learnt(step, detail):
    global found
    found = True
    line("worked", step, detail)


def error_name(e):
    return errno.errorcode.get(e.errno, str(e.errno))


def read(path, size=65536):
    with open(path, "rb") as f:
        return f.read(size)


def hostname(name):
    seen = {socket.gethostname(), os.uname().nodename}
    try:
        seen.add(read("/proc/sys/kernel/hostname").decode().strip())
    except OSError as e:
        line("blocked", "proc-hostname", error_name(e))
    line("note", "hostname", " ".join(sorted(seen)))
    if name in seen:
        learnt("hostname", name)
    else:
        line("blocked", "hostname", "other-name")


def pids(marker):
    visible = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():  # this probe carries the marker itself
            continue
        visible += 1
        try:
            cmdline = read("/proc/%s/cmdline" % entry).replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in cmdline:
            learnt("pids", "pid %s: %s" % (entry, cmdline.strip()))
    line("note", "pids", "%d processes visible" % visible)
    if not found:
        line("blocked", "pids", "not-visible")


def mounts(paths):
    points = set()
    with open("/proc/self/mountinfo") as f:
        for l in f:
            points.add(l.split()[4])
    for p in paths:
        if p in points:
            learnt("mounts", p)
    if not found:
        line("blocked", "mounts", "none-of-%d" % len(paths))


def interfaces():
    names = [name for _, name in socket.if_nameindex()]
    with open("/proc/net/dev") as f:
        names += [l.split(":")[0].strip() for l in f.readlines()[2:]]
    others = sorted(set(names) - {"lo"})
    if others:
        learnt("interfaces", " ".join(others))
    else:
        line("blocked", "interfaces", "only-lo")


def dmesg():
    libc = ctypes.CDLL(None, use_errno=True)
    buf = ctypes.create_string_buffer(4096)
    n = libc.klogctl(3, buf, len(buf))  # SYSLOG_ACTION_READ_ALL
    if n > 0:
        learnt("syslog", "%d bytes" % n)
    else:
        line("blocked", "syslog", errno.errorcode.get(ctypes.get_errno(), "EEMPTY"))
    for path in ("/dev/kmsg", "/proc/kmsg"):
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
            try:
                data = os.read(fd, 4096)
                if data:
                    learnt(path, "%d bytes" % len(data))
                else:
                    line("blocked", path, "empty")
            except OSError as e:
                line("blocked", path, error_name(e))
            finally:
                os.close(fd)
        except OSError as e:
            line("blocked", path, error_name(e))


def kcore():
    try:
        data = read("/proc/kcore", 64)
        if data[:4] == b"\x7fELF":
            learnt("kcore", "ELF header")
        else:
            line("blocked", "kcore", "empty" if not data else "not-elf")
    except OSError as e:
        line("blocked", "kcore", error_name(e))


def kallsyms():
    nonzero = 0
    with open("/proc/kallsyms") as f:
        for l in f:
            if int(l.split()[0], 16) != 0:
                nonzero += 1
    if nonzero:
        learnt("kallsyms", "%d non-zero addresses" % nonzero)
    else:
        line("blocked", "kallsyms", "all-zero")


def environ(args):
    init = args[:1] == ["--init"]
    pairs = args[1:] if init else args
    mine = {"%s=%s" % kv for kv in os.environ.items()}
    for p in pairs:
        if p in mine:
            learnt("environ", p.split("=")[0])
    if not init:
        if not found:
            line("blocked", "environ", "none-of-%d" % len(pairs))
        return
    try:
        init = read("/proc/1/environ").split(b"\0")
        hits = [p for p in pairs if p.encode() in init]
        if hits:
            learnt("init-environ", " ".join(h.split("=")[0] for h in hits))
        else:
            line("blocked", "init-environ", "none")
    except OSError as e:
        line("blocked", "init-environ", error_name(e))
    if not found:
        line("blocked", "environ", "none-of-%d" % len(pairs))


def main():
    if len(sys.argv) < 2:
        line("broken", "usage", "EINVAL")
        return 4
    what, args = sys.argv[1], sys.argv[2:]
    questions = {
        "hostname": lambda: hostname(args[0]),
        "pids": lambda: pids(args[0]),
        "mounts": lambda: mounts(args),
        "interfaces": interfaces,
        "dmesg": dmesg,
        "kcore": kcore,
        "kallsyms": kallsyms,
        "environ": lambda: environ(args),
    }
    if what not in questions:
        line("broken", "usage", "EINVAL")
        return 4
    questions[what]()
    return 0 if found else 3


sys.exit(main())
