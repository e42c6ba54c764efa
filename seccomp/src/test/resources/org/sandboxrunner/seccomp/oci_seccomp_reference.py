"""Reference compiler for DifferentialPropertyTest.

An independent implementation, with Debian's python3-seccomp (the same libseccomp), of the OCI
linux.seccomp rules docs/seccomp.md states: the native architecture plus the listed ones, the
bad-arch action SCMP_ACT_KILL_PROCESS, no_new_privs left to the loader, ERRNO/TRACE without errnoRet
meaning EPERM, names libseccomp does not know left out, rules whose action is the default left out,
conditions on one argument index ORed and on different indexes ANDed, a binary tree above 32 syscalls.

Protocol: one JSON object per line on stdin (an OCI linux.seccomp section), one JSON object per line
on stdout: {"bpf": base64, "pfc": text} or {"error": text}.
"""
import base64
import itertools
import json
import sys
import tempfile

import seccomp

ARCHES = {
    "SCMP_ARCH_X86": "x86", "SCMP_ARCH_X86_64": "x86_64", "SCMP_ARCH_X32": "x32", "SCMP_ARCH_ARM": "arm",
    "SCMP_ARCH_AARCH64": "aarch64", "SCMP_ARCH_MIPS": "mips", "SCMP_ARCH_MIPS64": "mips64",
    "SCMP_ARCH_MIPS64N32": "mips64n32", "SCMP_ARCH_MIPSEL": "mipsel", "SCMP_ARCH_MIPSEL64": "mipsel64",
    "SCMP_ARCH_MIPSEL64N32": "mipsel64n32", "SCMP_ARCH_PPC": "ppc", "SCMP_ARCH_PPC64": "ppc64",
    "SCMP_ARCH_PPC64LE": "ppc64le", "SCMP_ARCH_RISCV64": "riscv64", "SCMP_ARCH_S390": "s390",
    "SCMP_ARCH_S390X": "s390x",
}
OPS = {
    "SCMP_CMP_NE": seccomp.NE, "SCMP_CMP_LT": seccomp.LT, "SCMP_CMP_LE": seccomp.LE, "SCMP_CMP_EQ": seccomp.EQ,
    "SCMP_CMP_GE": seccomp.GE, "SCMP_CMP_GT": seccomp.GT, "SCMP_CMP_MASKED_EQ": seccomp.MASKED_EQ,
}
FLAGS = {"SECCOMP_FILTER_FLAG_LOG": seccomp.Attr.CTL_LOG, "SECCOMP_FILTER_FLAG_SPEC_ALLOW": seccomp.Attr.CTL_SSB}
EPERM = 1


def action(name, errno_ret):
    errno = EPERM if errno_ret is None else errno_ret
    return {
        "SCMP_ACT_KILL": seccomp.KILL, "SCMP_ACT_KILL_THREAD": seccomp.KILL,
        "SCMP_ACT_KILL_PROCESS": seccomp.KILL_PROCESS, "SCMP_ACT_TRAP": seccomp.TRAP,
        "SCMP_ACT_ERRNO": seccomp.ERRNO(errno), "SCMP_ACT_TRACE": seccomp.TRACE(errno),
        "SCMP_ACT_ALLOW": seccomp.ALLOW, "SCMP_ACT_LOG": seccomp.LOG, "SCMP_ACT_NOTIFY": seccomp.NOTIFY,
    }[name]


def alternatives(args):
    """For each argument index (first appearance first), its distinct conditions in profile order."""
    by_index = {}
    for a in args:
        cond = (a["index"], OPS[a["op"]], a["value"], a.get("valueTwo", 0))
        conds = by_index.setdefault(a["index"], [])
        if cond not in conds:
            conds.append(cond)
    return list(by_index.values())


def exported(export):
    with tempfile.TemporaryFile() as f:
        export(f)
        f.seek(0)
        return f.read()


def compile_section(spec):
    default = action(spec["defaultAction"], spec.get("defaultErrnoRet"))
    rules = []
    for rule in spec.get("syscalls", []):
        act = action(rule["action"], rule.get("errnoRet"))
        combos = list(itertools.product(*alternatives(rule.get("args", []))))
        for name in rule["names"]:
            if seccomp.resolve_syscall(seccomp.Arch(), name) == -1 or act == default:
                continue
            rules.append((name, act, combos))
    f = seccomp.SyscallFilter(default)
    f.set_attr(seccomp.Attr.ACT_BADARCH, seccomp.KILL_PROCESS)
    f.set_attr(seccomp.Attr.CTL_NNP, 0)
    for flag in spec.get("flags", []):
        if flag in FLAGS:
            f.set_attr(FLAGS[flag], 1)
    if len({name for name, _, _ in rules}) > 32:
        f.set_attr(seccomp.Attr.CTL_OPTIMIZE, 2)
    for name in spec.get("architectures", []):
        arch = seccomp.Arch(ARCHES[name])
        if not f.exist_arch(arch):
            f.add_arch(arch)
    for name, act, combos in rules:
        for combo in combos:
            f.add_rule(act, name, *[seccomp.Arg(i, op, a, b) for (i, op, a, b) in combo])
    return {
        "bpf": base64.b64encode(exported(f.export_bpf)).decode("ascii"),
        "pfc": exported(f.export_pfc).decode("utf-8"),
    }


def main():
    for line in sys.stdin:
        try:
            answer = compile_section(json.loads(line))
        except Exception as e:  # the test compares refusals too
            answer = {"error": "%s: %s" % (type(e).__name__, e)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
