package org.sandboxrunner.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Says in plain language what a profile allows and forbids: namespaces, ids, capabilities, the
 * environment, the filesystem view, limits and the system calls denied, by group.
 */
public final class ProfileExplainer {

    private static final Map<Integer, String> ERRNO_NAMES = Map.of(1, "EPERM", 2, "ENOENT", 13, "EACCES",
            22, "EINVAL", 38, "ENOSYS", 95, "EOPNOTSUPP", 97, "EAFNOSUPPORT");

    private ProfileExplainer() {}

    public static String explain(Profile p) {
        StringBuilder out = new StringBuilder();
        out.append("Profile ").append(p.name());
        if (!p.description().isEmpty()) {
            out.append(": ").append(p.description());
        }
        out.append('\n');
        line(out, "Canonical hash: " + ProfileHash.of(p) + " (results and audit events carry it).");
        isolation(p, out);
        identity(p, out);
        environment(p, out);
        filesystem(p, out);
        limits(p, out);
        seccomp(p, out);
        other(p, out);
        return out.toString();
    }

    private static void isolation(Profile p, StringBuilder out) {
        out.append("\nIsolation\n");
        line(out, "New namespaces: " + p.linux().namespaces().stream().sorted().map(NamespaceType::ociName)
                .collect(Collectors.joining(", ")) + ".");
        Set<NamespaceType> missing = new LinkedHashSet<>(List.of(NamespaceType.values()));
        missing.removeAll(p.linux().namespaces());
        if (!missing.isEmpty()) {
            line(out, "Shared with the host: " + missing.stream().map(NamespaceType::ociName)
                    .collect(Collectors.joining(", ")) + ".");
        }
        line(out, p.linux().namespaces().contains(NamespaceType.NETWORK)
                ? "Network: none; the sandbox has only its own loopback interface."
                : "Network: the host's; the sandbox can reach whatever the host can.");
        line(out, "Hostname: " + p.hostname() + ".");
    }

    private static void identity(Profile p, StringBuilder out) {
        UserSpec user = p.process().user();
        out.append("\nIdentity and privileges\n");
        line(out, "Runs as uid " + user.uid() + ", gid " + user.gid() + (user.additionalGids().isEmpty()
                ? " (no supplementary groups)" : " with supplementary groups " + join(user.additionalGids()))
                + ", umask " + String.format("%04o", user.umask()) + ".");
        line(out, "User ids " + mappings(p.linux().uidMappings()) + "; group ids " + mappings(p.linux().gidMappings())
                + " (when the runner is root; otherwise the caller's own id is mapped).");
        CapabilitiesSpec caps = p.process().capabilities();
        if (caps.equals(CapabilitiesSpec.none())) {
            line(out, "Capabilities: none, in every set.");
        } else {
            line(out, "Capabilities: bounding " + set(caps.bounding()) + "; permitted " + set(caps.permitted())
                    + "; effective " + set(caps.effective()) + "; inheritable " + set(caps.inheritable())
                    + "; ambient " + set(caps.ambient()) + ".");
        }
        line(out, "no_new_privs is set: setuid programs and file capabilities give nothing"
                + (p.process().securebits().isEmpty() ? "." : "; securebits: " + String.join(", ", p.process().securebits()) + "."));
    }

    private static void environment(Profile p, StringBuilder out) {
        out.append("\nEnvironment\n");
        line(out, p.process().env().isEmpty() ? "Empty: nothing of the caller's environment is passed."
                : String.join(", ", p.process().env()) + " (nothing else of the caller's environment).");
        line(out, "Working directory: " + p.process().cwd() + ".");
    }

    private static void filesystem(Profile p, StringBuilder out) {
        FilesystemSpec fs = p.filesystem();
        out.append("\nFilesystem\n");
        if (p.image().isPresent()) {
            line(out, "Root: image " + p.image().get().reference() + ", accepted only if the trust policy "
                    + p.image().get().trustPolicy() + " accepts its signature.");
        } else {
            line(out, "Host paths, read-only: " + (fs.hostReadOnly().isEmpty() ? "none" : String.join(", ", fs.hostReadOnly()))
                    + "; nothing else of the host is visible.");
        }
        line(out, "Work directory: bound read-write at " + fs.box() + ".");
        line(out, "/tmp: private, " + ByteSizes.describe(fs.tmpSizeBytes()) + "; /proc of the sandbox's own processes;"
                + " a minimal /dev.");
        for (MountSpec m : fs.mounts()) {
            line(out, "Mount: " + m.destination() + (m.type().equals("bind")
                    ? " <- " + m.source() + (m.readOnly() ? " (read-only)" : " (read-write)")
                    : " (" + m.type() + ", " + String.join(",", m.options()) + ")"));
        }
        if (!p.linux().maskedPaths().isEmpty()) {
            line(out, "Hidden: " + String.join(", ", p.linux().maskedPaths()) + ".");
        }
        if (!p.linux().readonlyPaths().isEmpty()) {
            line(out, "Read-only: " + String.join(", ", p.linux().readonlyPaths()) + ".");
        }
    }

    private static void limits(Profile p, StringBuilder out) {
        LimitsSpec l = p.limits();
        ResourcesSpec r = p.linux().resources();
        out.append("\nLimits\n");
        line(out, "CPU time " + ms(l.cpuTimeMs()) + ", wall time " + ms(l.wallTimeMs()) + ", output "
                + bytes(l.outputBytes()) + ".");
        String memory = r.memoryLimitBytes().isEmpty() ? "Memory: no limit"
                : "Memory " + ByteSizes.describe(r.memoryLimitBytes().getAsLong())
                + (r.memorySwapBytes().equals(r.memoryLimitBytes()) ? ", no swap"
                : ", with swap up to " + ByteSizes.describe(r.memorySwapBytes().getAsLong()) + " in all");
        line(out, memory + "; processes: " + (r.pidsLimit().isEmpty() ? "no limit" : "at most " + r.pidsLimit().getAsLong())
                + r.cpu().map(c -> c.quota().isEmpty() ? "" : "; CPU quota " + c.quota().getAsLong() + " us per "
                + c.period().getAsLong() + " us").orElse("") + ".");
        if (!p.process().rlimits().isEmpty()) {
            line(out, "rlimits (soft/hard): " + p.process().rlimits().stream().map(rl -> rl.type() + " " + RlimitSpec.describe(rl.soft())
                    + "/" + RlimitSpec.describe(rl.hard())).collect(Collectors.joining(", ")) + ".");
        }
    }

    private static void seccomp(Profile p, StringBuilder out) {
        out.append("\nSystem calls\n");
        if (p.linux().seccomp().isEmpty()) {
            line(out, "No seccomp filter: every system call the kernel offers is allowed.");
            return;
        }
        SeccompSpec s = p.linux().seccomp().get();
        line(out, "Architectures: " + (s.architectures().isEmpty() ? "the native one"
                : s.architectures().stream().map(a -> a.replace("SCMP_ARCH_", "").toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.joining(", "))) + "; calls through any other ABI are killed.");
        line(out, "Not listed: " + action(s.defaultAction(), s.defaultErrnoRet()) + ".");
        List<String> allowed = new ArrayList<>();
        Set<String> conditional = new LinkedHashSet<>();
        Map<String, Map<String, List<String>>> denied = new LinkedHashMap<>();
        for (SyscallRule rule : s.syscalls()) {
            if (rule.action() == SeccompAction.SCMP_ACT_ALLOW) {
                (rule.args().isEmpty() ? allowed : conditional).addAll(rule.names());
                continue;
            }
            String how = action(rule.action(), rule.errnoRet());
            for (String name : rule.names()) {
                denied.computeIfAbsent(how, k -> new LinkedHashMap<>())
                        .computeIfAbsent(SyscallGroups.of(name), k -> new ArrayList<>())
                        .add(name + conditions(rule.args()));
            }
        }
        line(out, "Allowed: " + allowed.size() + " system calls" + (conditional.isEmpty() ? ""
                : ", and " + String.join(", ", conditional) + " with conditions on their arguments") + ".");
        for (Map.Entry<String, Map<String, List<String>>> byAction : denied.entrySet()) {
            line(out, "Refused (" + byAction.getKey() + "):");
            for (String group : SyscallGroups.order()) {
                List<String> names = byAction.getValue().get(group);
                if (names != null) {
                    out.append("    ").append(group).append(": ").append(String.join(", ", names)).append('\n');
                }
            }
        }
        line(out, "Names this libseccomp does not know: " + (s.unknownSyscalls() == SeccompSpec.UnknownSyscalls.SKIP
                ? "left out." : "refuse the profile."));
    }

    private static void other(Profile p, StringBuilder out) {
        out.append("\nRun\n");
        line(out, "Audit log: " + p.audit().log().orElse("as the command line says")
                + p.audit().signingKey().map(k -> ", checkpoints signed with " + k).orElse("") + ".");
        line(out, p.degrade().isEmpty() ? "A missing kernel feature refuses the run."
                : "May run without: " + p.degrade().stream().sorted().map(Degradation::profileName)
                .collect(Collectors.joining(", ")) + " (written to the audit log); any other missing feature refuses the run.");
    }

    private static String conditions(List<SeccompArg> args) {
        if (args.isEmpty()) {
            return "";
        }
        boolean sameIndex = args.stream().map(SeccompArg::index).distinct().count() == 1 && args.size() > 1;
        String joined = args.stream().map(ProfileExplainer::condition)
                .collect(Collectors.joining(sameIndex ? " or " : " and "));
        return " (when " + joined + ")";
    }

    private static String condition(SeccompArg a) {
        String arg = "arg" + a.index();
        return switch (a.op()) {
            case SCMP_CMP_MASKED_EQ -> arg + " & " + hex(a.value()) + " == " + hex(a.valueTwo());
            case SCMP_CMP_EQ -> arg + " == " + hex(a.value());
            case SCMP_CMP_NE -> arg + " != " + hex(a.value());
            case SCMP_CMP_LT -> arg + " < " + hex(a.value());
            case SCMP_CMP_LE -> arg + " <= " + hex(a.value());
            case SCMP_CMP_GT -> arg + " > " + hex(a.value());
            case SCMP_CMP_GE -> arg + " >= " + hex(a.value());
        };
    }

    private static String action(SeccompAction action, java.util.OptionalInt errno) {
        return switch (action) {
            case SCMP_ACT_ERRNO -> "fail with " + errno(errno.orElse(1));
            case SCMP_ACT_ALLOW -> "allowed";
            case SCMP_ACT_KILL, SCMP_ACT_KILL_THREAD -> "the calling thread is killed";
            case SCMP_ACT_KILL_PROCESS -> "the process is killed";
            case SCMP_ACT_TRAP -> "SIGSYS is raised";
            case SCMP_ACT_TRACE -> "a tracer is notified (" + errno(errno.orElse(1)) + " without one)";
            case SCMP_ACT_LOG -> "allowed and logged";
            case SCMP_ACT_NOTIFY -> "the runner's supervisor decides";
        };
    }

    private static String errno(int errno) {
        return ERRNO_NAMES.containsKey(errno) ? ERRNO_NAMES.get(errno) + " (" + errno + ")" : "errno " + errno;
    }

    private static String mappings(List<IdMapping> mappings) {
        return mappings.stream().map(m -> m.containerRange() + " map to host " + m.hostRange())
                .collect(Collectors.joining(", "));
    }

    private static String set(List<String> caps) {
        return caps.isEmpty() ? "none" : String.join(" ", caps);
    }

    private static String join(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static String ms(OptionalLong ms) {
        if (ms.isEmpty()) {
            return "unlimited";
        }
        long v = ms.getAsLong();
        return v % 1000 == 0 ? v / 1000 + " s" : v + " ms";
    }

    private static String bytes(OptionalLong bytes) {
        return bytes.isEmpty() ? "unlimited" : ByteSizes.describe(bytes.getAsLong());
    }

    private static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    private static void line(StringBuilder out, String text) {
        out.append("  ").append(text).append('\n');
    }
}
