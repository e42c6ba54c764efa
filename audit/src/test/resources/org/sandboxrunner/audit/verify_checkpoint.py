#!/usr/bin/python3
"""Independent check of a sandbox-runner audit log and its latest checkpoint.

Written from the specs only (C2SP signed-note, C2SP tlog-checkpoint, RFC 6962 section 2.1),
with Python's hashlib and the `cryptography` package (Debian: python3-cryptography).

usage: verify_checkpoint.py LOG CHECKPOINT VERIFIER_KEY
Prints "OK <origin> <size> <root>" and exits 0, or prints the reason and exits 1.
"""
import base64
import hashlib
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def fail(reason):
    print("FAIL " + reason)
    sys.exit(1)


def merkle_root(leaves):
    """RFC 6962 MTH: split at the largest power of two below n."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + merkle_root(leaves[:k]) + merkle_root(leaves[k:])).digest()


def main(log_path, checkpoint_path, vkey):
    name, key_id_hex, key_b64 = vkey.split("+", 2)
    typed_key = base64.b64decode(key_b64, validate=True)
    if typed_key[0] != 0x01 or len(typed_key) != 33:
        fail("verifier key is not Ed25519")
    key_id = hashlib.sha256(name.encode() + b"\n" + typed_key).digest()[:4]
    if key_id.hex() != key_id_hex:
        fail("verifier key id mismatch")
    public_key = Ed25519PublicKey.from_public_bytes(typed_key[1:])

    note = open(checkpoint_path, "rb").read()
    split = note.rindex(b"\n\n")
    text, signatures = note[: split + 1], note[split + 2 :]
    verified = False
    for line in signatures.decode().splitlines():
        if not line.startswith("\u2014 "):
            fail("bad signature line")
        signer, sig_b64 = line[2:].split(" ", 1)
        raw = base64.b64decode(sig_b64, validate=True)
        if signer == name and raw[:4] == key_id:
            try:
                public_key.verify(raw[4:], text)
            except InvalidSignature:
                fail("signature does not verify")
            verified = True
    if not verified:
        fail("no signature by " + name)

    origin, size, root_b64 = text.decode().split("\n")[:3]
    size = int(size)
    lines = open(log_path, "rb").read().split(b"\n")[:-1]
    if len(lines) < size:
        fail("log has %d lines, checkpoint covers %d" % (len(lines), size))
    prev = hashlib.sha256(origin.encode()).hexdigest()
    for number, line in enumerate(lines[:size], start=1):
        if ('"prev":"%s"' % prev).encode() not in line:
            fail("line %d does not chain" % number)
        prev = hashlib.sha256(line).hexdigest()
    root = merkle_root(lines[:size])
    if base64.b64encode(root).decode() != root_b64:
        fail("root mismatch")
    print("OK %s %d %s" % (origin, size, root_b64))


if __name__ == "__main__":
    main(*sys.argv[1:])
