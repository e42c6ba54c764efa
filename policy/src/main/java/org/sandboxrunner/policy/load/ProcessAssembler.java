package org.sandboxrunner.policy.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.sandboxrunner.policy.CapabilitiesSpec;
import org.sandboxrunner.policy.ProcessSpec;
import org.sandboxrunner.policy.RlimitSpec;
import org.sandboxrunner.policy.UserSpec;
import org.sandboxrunner.policy.wire.Describe;
import org.sandboxrunner.policy.wire.ProfileDocument;

/**
 * Validates {@code process} and builds its {@link ProcessSpec}. Like every section assembler it
 * reports all it finds and returns null when it found anything, so no record is built from bad data.
 */
final class ProcessAssembler {

    /** Resource names of setrlimit(2) on Linux. */
    static final Set<String> RLIMIT_TYPES = new LinkedHashSet<>(List.of(
            "RLIMIT_AS", "RLIMIT_CORE", "RLIMIT_CPU", "RLIMIT_DATA", "RLIMIT_FSIZE", "RLIMIT_LOCKS",
            "RLIMIT_MEMLOCK", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_NOFILE", "RLIMIT_NPROC", "RLIMIT_RSS",
            "RLIMIT_RTPRIO", "RLIMIT_RTTIME", "RLIMIT_SIGPENDING", "RLIMIT_STACK"));

    /** The SECBIT_* flags of capabilities(7), lower-cased without the prefix. */
    static final Set<String> SECUREBITS = new LinkedHashSet<>(List.of(
            "noroot", "noroot_locked", "no_setuid_fixup", "no_setuid_fixup_locked", "keep_caps",
            "keep_caps_locked", "no_cap_ambient_raise", "no_cap_ambient_raise_locked"));

    private static final Pattern CAPABILITY = Pattern.compile("CAP_[A-Z0-9_]+");
    private static final String SUBSET_OF_BOUNDING = "not in the bounding set; every set must be a subset of bounding";

    private ProcessAssembler() {}

    static ProcessSpec assemble(ProfileDocument.Process process, Problems problems) {
        String path = "process";
        if (!FieldChecks.present(process, path, "a mapping", problems)) {
            return null;
        }
        int before = problems.count();
        UserSpec user = user(process.user(), path + ".user", problems);
        List<String> env = FieldChecks.orEmpty(process.env());
        env(env, path + ".env", problems);
        FieldChecks.absolutePath(process.cwd(), path + ".cwd", problems);
        CapabilitiesSpec caps = capabilities(process.capabilities(), path + ".capabilities", problems);
        List<RlimitSpec> rlimits = rlimits(FieldChecks.orEmpty(process.rlimits()), path + ".rlimits", problems);
        if (!Boolean.TRUE.equals(process.noNewPrivileges())) {
            problems.add(path + ".noNewPrivileges", "must be true: this runner always sets no_new_privs, so that setuid"
                    + " programs and file capabilities cannot raise privileges inside the sandbox; remove the field or"
                    + " set it to true");
        }
        List<String> securebits = FieldChecks.orEmpty(process.securebits());
        for (int i = 0; i < securebits.size(); i++) {
            FieldChecks.oneOf(securebits.get(i), SECUREBITS, DocPaths.index(path + ".securebits", i), "securebit", problems);
        }
        FieldChecks.unique(securebits, s -> s, path + ".securebits", "securebit", problems);
        if (problems.count() > before) {
            return null;
        }
        return new ProcessSpec(user, env, process.cwd(), caps, rlimits, true, securebits);
    }

    private static UserSpec user(ProfileDocument.User user, String path, Problems problems) {
        if (!FieldChecks.present(user, path, "a mapping with uid and gid", problems)) {
            return null;
        }
        int before = problems.count();
        FieldChecks.id(user.uid(), path + ".uid", problems);
        FieldChecks.id(user.gid(), path + ".gid", problems);
        FieldChecks.present(user.umask(), path + ".umask", "a umask such as \"0022\"", problems);
        List<Long> gids = FieldChecks.orEmpty(user.additionalGids());
        for (int i = 0; i < gids.size(); i++) {
            FieldChecks.id(gids.get(i), DocPaths.index(path + ".additionalGids", i), problems);
        }
        FieldChecks.unique(gids, g -> g, path + ".additionalGids", "gid", problems);
        return problems.count() > before ? null : new UserSpec(user.uid(), user.gid(), user.umask().bits(), gids);
    }

    private static void env(List<String> env, String path, Problems problems) {
        Map<String, Integer> keys = new HashMap<>();
        for (int i = 0; i < env.size(); i++) {
            String entry = env.get(i);
            String at = DocPaths.index(path, i);
            int eq = entry.indexOf('=');
            if (eq <= 0 || entry.indexOf('\0') >= 0) {
                problems.add(at, "must be KEY=VALUE with a non-empty KEY and no NUL character, got " + Describe.quote(entry));
                continue;
            }
            Integer earlier = keys.putIfAbsent(entry.substring(0, eq), i);
            if (earlier != null) {
                problems.add(at, Describe.quote(entry.substring(0, eq)) + " is already set by " + DocPaths.index(path, earlier));
            }
        }
    }

    private static CapabilitiesSpec capabilities(ProfileDocument.Capabilities caps, String path, Problems problems) {
        if (!FieldChecks.present(caps, path, "a mapping of the five capability sets", problems)) {
            return null;
        }
        int before = problems.count();
        List<String> bounding = capabilitySet(caps.bounding(), path + ".bounding", problems);
        List<String> effective = capabilitySet(caps.effective(), path + ".effective", problems);
        List<String> inheritable = capabilitySet(caps.inheritable(), path + ".inheritable", problems);
        List<String> permitted = capabilitySet(caps.permitted(), path + ".permitted", problems);
        List<String> ambient = capabilitySet(caps.ambient(), path + ".ambient", problems);
        // capabilities(7): capset() and execve() keep only what these inclusions allow; a profile that
        // asks for more would silently get less, so it is refused instead.
        subset(effective, permitted, path + ".effective", "effective but not permitted; effective must be a subset"
                + " of permitted", problems);
        for (int i = 0; i < ambient.size(); i++) {
            String cap = ambient.get(i);
            if (!permitted.contains(cap) || !inheritable.contains(cap)) {
                problems.add(DocPaths.index(path + ".ambient", i), cap + " is ambient but not "
                        + (permitted.contains(cap) ? "inheritable" : "permitted")
                        + "; the kernel only keeps ambient capabilities that are both permitted and inheritable");
            }
        }
        subset(effective, bounding, path + ".effective", SUBSET_OF_BOUNDING, problems);
        subset(inheritable, bounding, path + ".inheritable", SUBSET_OF_BOUNDING, problems);
        subset(permitted, bounding, path + ".permitted", SUBSET_OF_BOUNDING, problems);
        subset(ambient, bounding, path + ".ambient", SUBSET_OF_BOUNDING, problems);
        return problems.count() > before ? null
                : new CapabilitiesSpec(bounding, effective, inheritable, permitted, ambient);
    }

    private static List<String> capabilitySet(List<String> names, String path, Problems problems) {
        List<String> set = FieldChecks.orEmpty(names);
        for (int i = 0; i < set.size(); i++) {
            if (!CAPABILITY.matcher(set.get(i)).matches()) {
                problems.add(DocPaths.index(path, i), "is not a capability name (CAP_ followed by capital letters,"
                        + " digits or '_', e.g. CAP_NET_BIND_SERVICE), got " + Describe.quote(set.get(i)));
            }
        }
        FieldChecks.unique(set, c -> c, path, "capability", problems);
        return set;
    }

    private static void subset(List<String> set, List<String> of, String path, String why, Problems problems) {
        for (int i = 0; i < set.size(); i++) {
            if (!of.contains(set.get(i))) {
                problems.add(DocPaths.index(path, i), set.get(i) + " is " + why);
            }
        }
    }

    private static List<RlimitSpec> rlimits(List<ProfileDocument.Rlimit> rlimits, String path, Problems problems) {
        int before = problems.count();
        List<RlimitSpec> result = new ArrayList<>();
        for (int i = 0; i < rlimits.size(); i++) {
            ProfileDocument.Rlimit r = rlimits.get(i);
            String at = DocPaths.index(path, i);
            int itemBefore = problems.count();
            FieldChecks.oneOf(r.type(), RLIMIT_TYPES, at + ".type", "rlimit type", problems);
            FieldChecks.present(r.soft(), at + ".soft", "the soft limit (an integer, a size such as 8M, or"
                    + " 'unlimited')", problems);
            FieldChecks.present(r.hard(), at + ".hard", "the hard limit (an integer, a size such as 8M, or"
                    + " 'unlimited')", problems);
            if (problems.count() > itemBefore) {
                continue;
            }
            long soft = r.soft().value();
            long hard = r.hard().value();
            if (hard != RlimitSpec.UNLIMITED && (soft == RlimitSpec.UNLIMITED || soft > hard)) {
                problems.add(at + ".soft", "soft limit " + RlimitSpec.describe(soft) + " exceeds hard limit " + RlimitSpec.describe(hard)
                        + "; setrlimit(2) refuses a soft limit above the hard limit");
                continue;
            }
            result.add(new RlimitSpec(r.type(), soft, hard));
        }
        FieldChecks.unique(rlimits, ProfileDocument.Rlimit::type, path, "rlimit type", problems);
        return problems.count() > before ? null : result;
    }
}
