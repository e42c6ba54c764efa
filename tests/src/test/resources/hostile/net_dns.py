#!/usr/bin/python3
"""Name resolution as a way out: resolves a public name through the system resolver, sends a DNS
query straight to every nameserver in /etc/resolv.conf (the host's own file, visible read-only), and
to a DNS listener on the host's loopback whose port the test gives, waiting for its answer.

Must fail inside: the sandbox's network namespace has only its own loopback and no route, so the
nameservers are unreachable (ENETUNREACH) and nothing leaves the machine; the host's loopback is
another device. Outside, the query reaches the test's loopback listener, which answers. (Outside,
the real nameservers are never asked: the test sends no traffic off this machine.)

Usage: net_dns.py LOOPBACK_PORT [--resolvers]
Prints worked/blocked/note lines like the C programs; exit 0 when anything worked, 3 when not.
"""
import errno
import socket
import struct
import sys

worked = False


def line(kind, step, detail):
    print(kind, step, detail, flush=True)


def query(name):
    header = struct.pack(">HHHHHH", 0x5EC0, 0x0100, 1, 0, 0, 0)
    labels = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"
    return header + labels + struct.pack(">HH", 1, 1)


def ask(step, address, port, wait):
    global worked
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(wait)
    try:
        # Connected, so that "no route" and "nobody listens" come back at once as errors.
        s.connect((address, port))
        s.send(query("example.com"))
        data = s.recv(512)
        worked = True
        line("worked", step, "answer of %d bytes from %s:%d" % (len(data), address, port))
    except socket.timeout:
        line("blocked", step, "ETIMEDOUT")
    except OSError as e:
        line("blocked", step, errno.errorcode.get(e.errno, str(e.errno)))
    finally:
        s.close()


def nameservers():
    try:
        with open("/etc/resolv.conf") as f:
            return [l.split()[1] for l in f if l.startswith("nameserver") and len(l.split()) > 1]
    except OSError:
        return []


def main():
    global worked
    if len(sys.argv) < 2:
        line("broken", "usage", "EINVAL")
        return 4
    if "--resolvers" in sys.argv[2:]:
        try:
            found = socket.getaddrinfo("example.com", 80, proto=socket.IPPROTO_TCP)
            worked = True
            line("worked", "getaddrinfo", "%d addresses" % len(found))
        except socket.gaierror as e:
            line("blocked", "getaddrinfo", "EAI%d" % -e.errno if e.errno else "EAI")
        for ns in nameservers():
            ask("nameserver:" + ns, ns, 53, 0.5)
    port = int(sys.argv[1])
    if port:
        ask("loopback-dns", "127.0.0.1", port, 0.5)
    return 0 if worked else 3


sys.exit(main())
