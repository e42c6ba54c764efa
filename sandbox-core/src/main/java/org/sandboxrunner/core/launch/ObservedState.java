package org.sandboxrunner.core.launch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the kernel held for the sandboxed process after the last privileged step, read back by the
 * native stage just before exec (the proof that the kernel state equals the plan).
 *
 * @param uidMap    the extents of /proc/self/uid_map, each {@code [inside, outside, count]}
 * @param setgroups /proc/self/setgroups: {@code allow} or {@code deny}
 * @param hostname  the UTS node name (uname(2))
 * @param mounts    /proc/self/mountinfo as the sandbox sees it, in the kernel's order
 * @param cgroups   the init's /proc/PID/cgroup lines, read by the helper outside the cgroup namespace
 * @param seccomp   the workload's seccomp mode and filter count, read after exec (the filter is the
 *                  workload's last step before execve); empty when the run did not get that far
 */
public record ObservedState(
        long bounding, long permitted, long effective, long inheritable, long ambient, int securebits,
        List<Long> uids, List<Long> gids, List<Long> groups, boolean noNewPrivs,
        Map<String, List<Long>> rlimits, Map<String, Long> namespaceInodes,
        List<List<Long>> uidMap, List<List<Long>> gidMap, String setgroups, String hostname,
        List<MountRow> mounts, List<String> cgroups, Optional<SeccompState> seccomp) {

    public ObservedState {
        uids = List.copyOf(uids);
        gids = List.copyOf(gids);
        groups = List.copyOf(groups);
        rlimits = Map.copyOf(rlimits);
        namespaceInodes = Map.copyOf(namespaceInodes);
        uidMap = uidMap.stream().map(List::copyOf).toList();
        gidMap = gidMap.stream().map(List::copyOf).toList();
        mounts = List.copyOf(mounts);
        cgroups = List.copyOf(cgroups);
    }

    /** The workload's seccomp state, from {@code Seccomp:} and {@code Seccomp_filters:} in its status (proc(5)). */
    public record SeccompState(int mode, int filters) {}

    /** The same state with the workload's seccomp state, reported after exec. */
    ObservedState withSeccomp(SeccompState s) {
        return new ObservedState(bounding, permitted, effective, inheritable, ambient, securebits, uids, gids, groups,
                noNewPrivs, rlimits, namespaceInodes, uidMap, gidMap, setgroups, hostname, mounts, cgroups, Optional.of(s));
    }

    /**
     * The mount table normalised: one {@code MOUNTPOINT FSTYPE OPTIONS} line per mount, in the
     * kernel's order, without the mount ids, device numbers and peer groups that change from run to
     * run; equal plans on one host give equal tables.
     */
    public String normalisedMountTable() {
        StringBuilder out = new StringBuilder();
        mounts.forEach(m -> out.append(m.mountPoint()).append(' ').append(m.fsType()).append(' ')
                .append(String.join(",", m.options())).append('\n'));
        return out.toString();
    }

    public String mountTableSha256() {
        return sha256(normalisedMountTable());
    }

    /**
     * Every field, one {@code name value} line each, in a fixed order (maps sorted by key): what the
     * state's SHA-256 covers. It includes what is unique to the run (namespace inodes, the cgroup
     * leaf), so it identifies this run's state; {@link #mountTableSha256()} is the part two runs of
     * one profile share.
     */
    public String canonicalText() {
        StringBuilder out = new StringBuilder();
        line(out, "bounding", hex(bounding));
        line(out, "permitted", hex(permitted));
        line(out, "effective", hex(effective));
        line(out, "inheritable", hex(inheritable));
        line(out, "ambient", hex(ambient));
        line(out, "securebits", Integer.toString(securebits));
        line(out, "uids", words(uids));
        line(out, "gids", words(gids));
        line(out, "groups", words(groups));
        line(out, "no_new_privs", noNewPrivs ? "1" : "0");
        new TreeMap<>(rlimits).forEach((k, v) -> line(out, "rlimit " + k, Long.toUnsignedString(v.get(0)) + " "
                + Long.toUnsignedString(v.get(1))));
        new TreeMap<>(namespaceInodes).forEach((ns, inode) -> line(out, "namespace " + ns, Long.toString(inode)));
        uidMap.forEach(e -> line(out, "uid_map", words(e)));
        gidMap.forEach(e -> line(out, "gid_map", words(e)));
        line(out, "setgroups", setgroups);
        line(out, "hostname", hostname);
        normalisedMountTable().lines().forEach(m -> line(out, "mount", m));
        cgroups.forEach(c -> line(out, "cgroup", c));
        seccomp.ifPresent(s -> line(out, "seccomp", s.mode() + " " + s.filters()));
        return out.toString();
    }

    /** SHA-256 of {@link #canonicalText()}, in hex: what the result and the audit record carry. */
    public String sha256() {
        return sha256(canonicalText());
    }

    private static void line(StringBuilder out, String name, String value) {
        out.append(name).append(' ').append(value).append('\n');
    }

    private static String words(List<Long> values) {
        return String.join(" ", values.stream().map(String::valueOf).toList());
    }

    private static String hex(long v) {
        return String.format("%016x", v);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
