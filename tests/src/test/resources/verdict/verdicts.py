"""One way for a Python program to end, per mode: verdicts.py MODE [ARG] MARKER (as verdicts.c)."""
import errno
import os
import signal
import sys
import threading
import time

MIB = 1 << 20


def bomb(threads):
    n = 0
    while True:
        try:
            if threads:
                threading.Thread(target=time.sleep, args=(1000,), daemon=True).start()
            elif os.fork() == 0:
                time.sleep(1000)
                os._exit(0)
        except (OSError, RuntimeError) as e:
            # fork raises BlockingIOError (EAGAIN); a thread that cannot start raises RuntimeError.
            why = "EAGAIN" if getattr(e, "errno", None) == errno.EAGAIN or "can't start" in str(e) else str(e)
            print("blocked %s %s after %d" % ("threads" if threads else "fork", why, n), flush=True)
            os._exit(3)
        n += 1


def recurse(depth):
    return recurse(depth + 1) + 1


def nested(depth):
    """A list nested depth times: its repr recurses in C, one C frame per level."""
    lst = []
    for _ in range(depth):
        lst = [lst]
    return lst


def main(mode, args):
    if mode == "spin":
        while True:
            pass
    elif mode == "sleep":
        time.sleep(1000)
    elif mode == "heap":
        chunks = [bytearray(MIB) for _ in range(int(args[0]))]  # bytearray zero-fills: every page touched
        print("note heap touched %d MiB" % len(chunks))
    elif mode == "stack":
        # With the default recursion limit Python raises RecursionError, an ordinary error exit.
        # Without one, recursion that goes through C (repr of a deeply nested list) overflows the C
        # stack: SIGSEGV. (Python-to-Python calls keep their frames on the heap since 3.11.)
        if args[0] == "unlimited":
            sys.setrecursionlimit(1 << 30)
            repr(nested(1000000))
        recurse(0)
    elif mode in ("fork", "threads"):
        bomb(mode == "threads")
    elif mode == "flood":
        line = "flood " * 13 + "\n"
        while True:
            sys.stdout.write(line)
    elif mode == "file":
        # CPython ignores SIGXFSZ (it sets SIG_IGN at start-up), so past RLIMIT_FSIZE write fails with EFBIG.
        try:
            with open(args[0], "wb") as f:
                while True:
                    f.write(b"x" * MIB)
                    f.flush()
        except OSError as e:
            print("blocked write " + e.strerror, flush=True)
            os._exit(3)
    elif mode == "segv":
        os.kill(os.getpid(), signal.SIGSEGV)
    elif mode == "abort":
        os.abort()
    elif mode == "exit137":
        sys.exit(137)
    elif mode == "orphan":
        if os.fork() == 0:
            time.sleep(1000)
            os._exit(0)
        print("note parent exits")
    elif mode == "background":
        if os.fork() == 0:
            os.setsid()
            signal.signal(signal.SIGHUP, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            if os.fork() == 0:
                time.sleep(1000)
            os._exit(0)
        print("note forked into the background")
    else:
        print("unknown mode " + mode, file=sys.stderr)
        sys.exit(4)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:-1])
