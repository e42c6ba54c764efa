package org.sandboxrunner.core.launch;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.sandboxrunner.policy.NamespaceType;

/**
 * Writes a {@link LaunchPlan} in the wire format plan.h documents: records of
 * {@code u16 tag, u16 0, u32 length, payload}, in native byte order, strings NUL-terminated.
 */
public final class PlanEncoder {
    // Tags, as in plan.h.
    private static final int NAMESPACES = 1, UID_MAP = 2, GID_MAP = 3, SETGROUPS_DENY = 4, CGROUP_PROCS = 5,
            NEWROOT = 6, MOUNT = 7, HOSTNAME = 8, RLIMIT = 9, SETUP_IDS = 10, USER = 11, CAPS = 12,
            SECCOMP = 13, SECCOMP_FLAGS = 14, ARG = 15, ENV = 16, CWD = 17, WALL_LIMIT = 18, CPU_LIMIT = 19,
            OUTPUT_LIMIT = 20, LOOPBACK = 21, SECCOMP_REPORT = 40, MOUNT_INHERITED = 90;

    private static final Map<NamespaceType, Integer> NAMESPACE_BITS = new EnumMap<>(Map.of(
            NamespaceType.USER, 1, NamespaceType.PID, 2, NamespaceType.MOUNT, 4, NamespaceType.IPC, 8,
            NamespaceType.UTS, 16, NamespaceType.NETWORK, 32, NamespaceType.CGROUP, 64));

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);

    private PlanEncoder() {}

    public static byte[] encode(LaunchPlan plan) {
        PlanEncoder e = new PlanEncoder();
        int ns = 0;
        for (NamespaceType t : plan.namespaces()) {
            ns |= NAMESPACE_BITS.get(t);
        }
        e.record(NAMESPACES, payload(4).putInt(ns));
        e.string(UID_MAP, plan.uidMap());
        e.string(GID_MAP, plan.gidMap());
        e.record(SETGROUPS_DENY, payload(4).putInt(plan.setgroupsDeny() ? 1 : 0));
        for (Path p : plan.cgroupProcs()) {
            e.string(CGROUP_PROCS, p.toString());
        }
        e.string(NEWROOT, plan.newRoot().toString());
        for (MountOp m : plan.mounts()) {
            if (m.kind() == MountOp.Kind.INHERITED) {
                byte[] dst = cstring(m.target());
                e.record(MOUNT_INHERITED, payload(8 + dst.length).putInt(m.inheritedFd()).putInt(flagBits(m)).put(dst));
                continue;
            }
            byte[] src = cstring(m.source()), dst = cstring(m.target()), data = cstring(m.data());
            int flags = flagBits(m);
            e.record(MOUNT, payload(8 + src.length + dst.length + data.length)
                    .putInt(m.kind().ordinal() + 1).putInt(flags).put(src).put(dst).put(data));
        }
        plan.hostname().ifPresent(h -> e.string(HOSTNAME, h));
        for (Rlimit r : plan.rlimits()) {
            byte[] name = cstring(r.name());
            e.record(RLIMIT, payload(16 + name.length).putLong(r.soft()).putLong(r.hard()).put(name));
        }
        e.record(SETUP_IDS, payload(8).putInt((int) plan.setupUid()).putInt((int) plan.setupGid()));
        ByteBuffer user = payload(16 + 4 * plan.groups().size())
                .putInt((int) plan.uid()).putInt((int) plan.gid()).putInt(plan.umask()).putInt(plan.groups().size());
        plan.groups().forEach(g -> user.putInt(g.intValue()));
        e.record(USER, user);
        CapabilityPlan c = plan.capabilities();
        e.record(CAPS, payload(48).putLong(c.bounding()).putLong(c.permitted()).putLong(c.effective())
                .putLong(c.inheritable()).putLong(c.ambient()).putInt(c.securebits()).putInt(c.lastCap()));
        plan.seccomp().ifPresent(bpf -> e.record(SECCOMP, payload(bpf.length).put(bpf)));
        e.record(SECCOMP_FLAGS, payload(4).putInt(plan.seccompFlags()));
        plan.argv().forEach(a -> e.string(ARG, a));
        plan.env().forEach(v -> e.string(ENV, v));
        e.string(CWD, plan.cwd());
        plan.wallLimitMicros().ifPresent(us -> e.record(WALL_LIMIT, payload(8).putLong(us)));
        plan.cpu().ifPresent(cpu -> {
            byte[] file = cstring(cpu.usageFile().toString());
            e.record(CPU_LIMIT, payload(12 + file.length).putLong(cpu.limitMicros())
                    .putInt(cpu.format().ordinal()).put(file));
        });
        plan.outputLimitBytes().ifPresent(b -> e.record(OUTPUT_LIMIT, payload(8).putLong(b)));
        e.record(LOOPBACK, payload(4).putInt(plan.loopback() ? 1 : 0));
        plan.seccompReport().ifPresent(bpf -> e.record(SECCOMP_REPORT, payload(bpf.length).put(bpf)));
        return e.out.toByteArray();
    }

    private static int flagBits(MountOp m) {
        int flags = 0;
        for (MountOp.Flag f : m.flags()) {
            flags |= 1 << f.ordinal();
        }
        return flags;
    }

    private static ByteBuffer payload(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }

    private static byte[] cstring(String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a plan string must not contain NUL: " + s.replace('\0', '?'));
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        byte[] c = new byte[utf8.length + 1];
        System.arraycopy(utf8, 0, c, 0, utf8.length);
        return c;
    }

    private void string(int tag, String s) {
        byte[] c = cstring(s);
        record(tag, payload(c.length).put(c));
    }

    private void record(int tag, ByteBuffer payload) {
        if (payload.hasRemaining()) {
            throw new IllegalStateException("record " + tag + " payload not filled");
        }
        ByteBuffer header = payload(8).putShort((short) tag).putShort((short) 0).putInt(payload.capacity());
        out.write(header.array(), 0, 8);
        out.write(payload.array(), 0, payload.capacity());
    }
}
