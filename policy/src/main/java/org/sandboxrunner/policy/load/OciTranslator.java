package org.sandboxrunner.policy.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.sandboxrunner.policy.Profile;
import org.sandboxrunner.policy.ProfileException;
import org.sandboxrunner.policy.wire.Describe;

/**
 * Turns an OCI runtime config.json into a profile document. Every field of the OCI runtime spec is
 * either carried over (same name, same path: the profile schema uses OCI's names), left out because
 * it is not policy (the command, the terminal, the bundle's rootfs), or refused with the reason, so
 * nothing in a config is silently dropped when it would change what the sandbox allows. Fields the
 * spec does not define are refused too.
 */
public final class OciTranslator {

    /** Mounts every runtime makes (runc and crun spec write them); the runner makes its own /proc and /dev and no /sys. */
    static final Set<String> RUNTIME_MOUNTS = Set.of("/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys",
            "/sys/fs/cgroup");
    /** Propagation modes that keep the sandbox's mounts away from the host, as the runner always does. */
    private static final Set<String> PRIVATE_PROPAGATION = Set.of("", "private", "rprivate", "slave", "rslave");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Problems problems;
    private final Locations input;
    private final Locations output;

    private OciTranslator(Locations input) {
        this.input = input;
        this.output = input.copy(input.locate(""));
        this.problems = new Problems(input);
    }

    /** What to do with one field of an OCI object. */
    @FunctionalInterface
    private interface Action {
        void apply(OciTranslator t, JsonNode value, String path, String key, ObjectNode out);
    }

    private static final Action COPY = (t, value, path, key, out) -> out.set(key, value.deepCopy());
    private static final Action LEAVE_OUT = (t, value, path, key, out) -> { };

    private static Action refuse(String reason) {
        return (t, value, path, key, out) -> t.problems.add(path, "is not supported by sandbox-runner: " + reason);
    }

    private static Action refuseUnlessEmpty(String reason) {
        Action refuse = refuse(reason);
        return (t, value, path, key, out) -> {
            if (!(value.isTextual() && value.textValue().isEmpty()) && !(value.isContainerNode() && value.isEmpty())) {
                refuse.apply(t, value, path, key, out);
            }
        };
    }

    private static Action nested(Map<String, Action> fields) {
        return (t, value, path, key, out) -> {
            ObjectNode child = NODES.objectNode();
            if (t.object(value, path)) {
                t.fields((ObjectNode) value, path, fields, child);
                out.set(key, child);
            }
        };
    }

    private static final Action CAPABILITIES = (t, value, path, key, out) -> t.capabilities(value, path, out);
    private static final Action DEVICE_RULES = (t, value, path, key, out) -> t.deviceRules(value, path);
    private static final Action NAMESPACES = (t, value, path, key, out) -> t.namespaces(value, out);
    private static final Action PROPAGATION = (t, value, path, key, out) -> t.propagation(value, path);
    private static final Action OCI_VERSION = (t, value, path, key, out) -> t.ociVersion(value, path);
    private static final Action MOUNTS = (t, value, path, key, out) -> t.mounts(value, out);

    private static final String LINUX_ONLY = "this is not a Linux container configuration";
    private static final String WINDOWS_ONLY = "a Windows-only field";

    private static final Map<String, Action> USER = table(
            "uid", COPY, "gid", COPY, "umask", COPY, "additionalGids", COPY,
            "username", refuseUnlessEmpty(WINDOWS_ONLY));

    private static final Map<String, Action> PROCESS = table(
            // The command, its terminal and console size come from the command line, not from policy.
            "terminal", LEAVE_OUT, "consoleSize", LEAVE_OUT, "args", LEAVE_OUT,
            "commandLine", refuseUnlessEmpty(WINDOWS_ONLY),
            "user", nested(USER), "env", COPY, "cwd", COPY,
            "capabilities", CAPABILITIES,
            "rlimits", COPY, "noNewPrivileges", COPY,
            "apparmorProfile", refuseUnlessEmpty("AppArmor profiles are not applied by this runner"),
            "selinuxLabel", refuseUnlessEmpty("SELinux labels are not applied by this runner"),
            "oomScoreAdj", refuse("oom_score_adj is not set by this runner"),
            "scheduler", refuse("scheduling policies are not set by this runner"),
            "ioPriority", refuse("I/O priorities are not set by this runner"),
            "execCPUAffinity", refuse("CPU affinity is not set per process; use linux.resources.cpu.cpus"));

    private static final Map<String, Action> MEMORY = table(
            "limit", COPY, "swap", COPY,
            "reservation", refuse("only memory.limit and memory.swap are enforced"),
            "kernel", refuse("only memory.limit and memory.swap are enforced"),
            "kernelTCP", refuse("only memory.limit and memory.swap are enforced"),
            "swappiness", refuse("only memory.limit and memory.swap are enforced"),
            "disableOOMKiller", refuse("the OOM killer ends a run that exceeds its memory limit"),
            "useHierarchy", refuse("only memory.limit and memory.swap are enforced"),
            "checkBeforeUpdate", refuse("a run's limits are never updated"));

    private static final Map<String, Action> CPU = table(
            "shares", COPY, "quota", COPY, "period", COPY, "cpus", COPY, "mems", COPY,
            "burst", refuse("CPU burst is not set by this runner"),
            "realtimeRuntime", refuse("real-time scheduling is not available in the sandbox"),
            "realtimePeriod", refuse("real-time scheduling is not available in the sandbox"),
            "idle", refuse("SCHED_IDLE cgroups are not set by this runner"));

    private static final Map<String, Action> BLOCK_IO = table(
            "weight", COPY,
            "leafWeight", refuse("only blockIO.weight is enforced"),
            "weightDevice", refuseUnlessEmpty("only blockIO.weight is enforced"),
            "throttleReadBpsDevice", refuseUnlessEmpty("only blockIO.weight is enforced"),
            "throttleWriteBpsDevice", refuseUnlessEmpty("only blockIO.weight is enforced"),
            "throttleReadIOPSDevice", refuseUnlessEmpty("only blockIO.weight is enforced"),
            "throttleWriteIOPSDevice", refuseUnlessEmpty("only blockIO.weight is enforced"));

    private static final Map<String, Action> RESOURCES = table(
            "devices", DEVICE_RULES,
            "memory", nested(MEMORY), "cpu", nested(CPU), "pids", COPY, "blockIO", nested(BLOCK_IO),
            "hugepageLimits", refuseUnlessEmpty("hugetlb limits are not enforced; the sandbox gets no huge pages"),
            "network", refuse("network classes and priorities are not set: the sandbox has only loopback"),
            "rdma", refuseUnlessEmpty("RDMA devices are not available in the sandbox"),
            "unified", refuseUnlessEmpty("raw cgroup v2 files are not written; use the named resources"));

    private static final Map<String, Action> SECCOMP = table(
            "defaultAction", COPY, "defaultErrnoRet", COPY, "architectures", COPY, "flags", COPY, "syscalls", COPY,
            "listenerPath", refuseUnlessEmpty("seccomp notifications go only to the runner's own supervisor"),
            "listenerMetadata", refuseUnlessEmpty("seccomp notifications go only to the runner's own supervisor"));

    private static final Map<String, Action> LINUX = table(
            "uidMappings", COPY, "gidMappings", COPY,
            "sysctl", refuseUnlessEmpty("sysctls are not set inside the sandbox"),
            "resources", nested(RESOURCES),
            "cgroupsPath", refuseUnlessEmpty("the runner creates a cgroup of its own for each run"),
            "namespaces", NAMESPACES,
            "devices", refuseUnlessEmpty("the sandbox gets a fixed minimal /dev (null, zero, full, random, urandom)"),
            "seccomp", nested(SECCOMP),
            "rootfsPropagation", PROPAGATION,
            "maskedPaths", COPY, "readonlyPaths", COPY,
            "mountLabel", refuseUnlessEmpty("SELinux labels are not applied by this runner"),
            "intelRdt", refuse("Intel RDT is not configured by this runner"),
            "personality", refuse("the execution domain is not changed; personality(2) is governed by linux.seccomp"),
            "timeOffsets", refuseUnlessEmpty("time namespaces are not supported"),
            "memoryPolicy", refuse("NUMA memory policies are not set by this runner"),
            "netDevices", refuseUnlessEmpty("network devices are not moved into the sandbox: it has only loopback"));

    private static final Map<String, Action> ROOT = table(
            "ociVersion", OCI_VERSION,
            "process", nested(PROCESS),
            // The filesystem view is the profile's (host read-only view or a signed image), not a bundle rootfs.
            "root", LEAVE_OUT,
            "hostname", COPY,
            "domainname", refuseUnlessEmpty("the NIS domain name is not set by this runner"),
            "mounts", MOUNTS,
            "hooks", refuse("hooks run host programs during setup; sandbox-runner runs none"),
            // Annotations are metadata for other tools; they change nothing the sandbox allows.
            "annotations", LEAVE_OUT,
            "linux", nested(LINUX),
            "solaris", refuse(LINUX_ONLY), "windows", refuse(LINUX_ONLY), "vm", refuse(LINUX_ONLY),
            "zos", refuse(LINUX_ONLY));

    /** Translates a parsed config.json; {@code name} becomes the profile's name. */
    public static Document translate(Document config, String name) throws ProfileException {
        OciTranslator t = new OciTranslator(config.locations());
        ObjectNode profile = NODES.objectNode();
        profile.put("apiVersion", Profile.API_VERSION);
        profile.put("name", name);
        profile.put("description", "OCI runtime config " + config.source());
        if (!config.root().has("ociVersion")) {
            t.problems.add("ociVersion", "required: an OCI runtime config names its spec version (1.x)");
        }
        t.fields(config.root(), "", ROOT, profile);
        t.problems.throwIfAny();
        return new Document(config.source(), profile, t.output);
    }

    private void fields(ObjectNode object, String path, Map<String, Action> actions, ObjectNode out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String fieldPath = DocPaths.field(path, field.getKey());
            Action action = actions.get(field.getKey());
            if (action == null) {
                problems.add(fieldPath, "unknown OCI field " + Describe.quote(field.getKey()) + "; known here: "
                        + String.join(", ", new TreeSet<>(actions.keySet())));
            } else {
                action.apply(this, field.getValue(), fieldPath, field.getKey(), out);
            }
        }
    }

    private boolean object(JsonNode value, String path) {
        if (!value.isObject()) {
            problems.add(path, "expected a mapping, got " + Describe.node(value));
            return false;
        }
        return true;
    }

    private void ociVersion(JsonNode value, String path) {
        if (!value.isTextual() || !value.textValue().startsWith("1.")) {
            problems.add(path, "this runner reads OCI runtime spec 1.x configs, got " + Describe.node(value));
        }
    }

    /**
     * runc and crun try to raise every ambient capability and only warn when the kernel refuses one
     * that is not both permitted and inheritable (runc spec writes such a set); the profile keeps
     * exactly the ones those runtimes end up with.
     */
    private void capabilities(JsonNode value, String path, ObjectNode out) {
        if (!object(value, path)) {
            return;
        }
        ObjectNode caps = (ObjectNode) value.deepCopy();
        JsonNode ambient = caps.get("ambient");
        if (ambient != null && ambient.isArray()) {
            ArrayNode kept = NODES.arrayNode();
            for (JsonNode cap : ambient) {
                if (contains(caps.get("permitted"), cap) && contains(caps.get("inheritable"), cap)) {
                    kept.add(cap);
                }
            }
            caps.set("ambient", kept);
            output.remove(path + ".ambient");
        }
        out.set("capabilities", caps);
    }

    private static boolean contains(JsonNode list, JsonNode item) {
        if (list == null || !list.isArray()) {
            return false;
        }
        for (JsonNode element : list) {
            if (element.equals(item)) {
                return true;
            }
        }
        return false;
    }

    /** The runner always creates a user namespace; a config without one gets it (never less isolation). */
    private void namespaces(JsonNode value, ObjectNode out) {
        JsonNode copy = value.deepCopy();
        if (copy.isArray()) {
            boolean hasUser = false;
            for (JsonNode ns : copy) {
                hasUser |= ns.isObject() && "user".equals(ns.path("type").asText(null));
            }
            if (!hasUser) {
                ((ArrayNode) copy).addObject().put("type", "user");
            }
        }
        out.set("namespaces", copy);
    }

    /** A deny-all device rule matches the fixed minimal /dev; any allow rule asks for more. */
    private void deviceRules(JsonNode value, String path) {
        if (!value.isArray()) {
            problems.add(path, "expected a list, got " + Describe.node(value));
            return;
        }
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).path("allow").isBoolean() || value.get(i).path("allow").booleanValue()) {
                problems.add(DocPaths.index(path, i), "is not supported by sandbox-runner: device access is limited"
                        + " to the fixed minimal /dev, so only deny rules ({allow: false}) are accepted");
            }
        }
    }

    private void propagation(JsonNode value, String path) {
        if (!value.isTextual() || !PRIVATE_PROPAGATION.contains(value.textValue())) {
            problems.add(path, "is not supported by sandbox-runner: the sandbox's mounts are always private, got "
                    + Describe.node(value) + "; valid: private, rprivate, slave, rslave");
        }
    }

    /** Keeps binds and tmpfs mounts; drops the runtime's standard mounts, which the runner replaces. */
    private void mounts(JsonNode value, ObjectNode out) {
        output.remove("mounts");
        if (!value.isArray()) {
            out.set("mounts", value.deepCopy());
            output.copyFrom(input, "mounts", "mounts");
            return;
        }
        ArrayNode kept = NODES.arrayNode();
        for (int i = 0; i < value.size(); i++) {
            JsonNode mount = value.get(i);
            String at = DocPaths.index("mounts", i);
            if (!object(mount, at) || RUNTIME_MOUNTS.contains(mount.path("destination").asText(""))) {
                continue;
            }
            ObjectNode copy = mount.deepCopy();
            String type = mount.path("type").asText("none");
            boolean bindOption = contains(mount.get("options"), NODES.textNode("bind"))
                    || contains(mount.get("options"), NODES.textNode("rbind"));
            if (type.equals("none") && bindOption) {
                copy.put("type", "bind");
            } else if (!type.equals("bind") && !type.equals("tmpfs")) {
                problems.add(at + ".type", "mount type " + Describe.quote(type) + " is not supported by sandbox-runner:"
                        + " only bind and tmpfs mounts, besides the /proc and /dev the runner makes itself");
                continue;
            }
            for (String idmap : List.of("uidMappings", "gidMappings")) {
                if (copy.has(idmap)) {
                    problems.add(DocPaths.field(at, idmap), "is not supported by sandbox-runner: id-mapped mounts");
                    copy.remove(idmap);
                }
            }
            output.copyFrom(input, at, DocPaths.index("mounts", kept.size()));
            kept.add(copy);
        }
        out.set("mounts", kept);
        output.put("mounts", input.locate("mounts"));
    }

    private static Map<String, Action> table(Object... keysAndActions) {
        Map<String, Action> table = new LinkedHashMap<>();
        for (int i = 0; i < keysAndActions.length; i += 2) {
            table.put((String) keysAndActions[i], (Action) keysAndActions[i + 1]);
        }
        return Map.copyOf(table);
    }
}
