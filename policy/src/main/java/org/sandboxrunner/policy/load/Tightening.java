package org.sandboxrunner.policy.load;

import java.math.BigInteger;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongFunction;
import org.sandboxrunner.policy.ByteSizes;
import org.sandboxrunner.policy.CpuSpec;
import org.sandboxrunner.policy.NamespaceType;
import org.sandboxrunner.policy.Profile;
import org.sandboxrunner.policy.RlimitSpec;

/**
 * The composition rule for limits and isolation: a profile that extends another may lower its limits
 * ({@code limits}, {@code linux.resources}, {@code process.rlimits}, {@code filesystem.tmpSize}),
 * add namespaces and drop capabilities, but not the reverse, unless it says {@code loosen: true}.
 * So a reviewed parent stays an upper bound for everything built on it. The seccomp filter, mounts
 * and the filesystem view are not compared: {@code sandbox profile explain} shows them.
 */
public final class Tightening {
    private Tightening() {}

    public static void check(Profile parent, Profile child, Problems problems) {
        String parentName = parent.name();
        Checker c = new Checker(parentName, problems);
        c.at("limits.cpuTimeMs", parent.limits().cpuTimeMs(), child.limits().cpuTimeMs(), v -> v + " ms");
        c.at("limits.wallTimeMs", parent.limits().wallTimeMs(), child.limits().wallTimeMs(), v -> v + " ms");
        c.at("limits.outputBytes", parent.limits().outputBytes(), child.limits().outputBytes(), ByteSizes::describe);
        var pr = parent.linux().resources();
        var cr = child.linux().resources();
        c.at("linux.resources.memory.limit", pr.memoryLimitBytes(), cr.memoryLimitBytes(), ByteSizes::describe);
        c.at("linux.resources.memory.swap", pr.memorySwapBytes(), cr.memorySwapBytes(), ByteSizes::describe);
        c.at("linux.resources.pids.limit", pr.pidsLimit(), cr.pidsLimit(), Long::toString);
        c.at("filesystem.tmpSize", OptionalLong.of(parent.filesystem().tmpSizeBytes()),
                OptionalLong.of(child.filesystem().tmpSizeBytes()), ByteSizes::describe);
        pr.cpu().ifPresent(p -> cpu(p, cr.cpu().orElse(null), c));
        rlimits(parent.process().rlimits(), child.process().rlimits(), c);
        for (NamespaceType ns : NamespaceType.values()) {
            if (parent.linux().namespaces().contains(ns) && !child.linux().namespaces().contains(ns)) {
                c.widens("linux.namespaces", "drops the " + ns.ociName() + " namespace that parent '" + parentName
                        + "' creates");
            }
        }
        var pc = parent.process().capabilities();
        var cc = child.process().capabilities();
        capabilities("bounding", pc.bounding(), cc.bounding(), c);
        capabilities("effective", pc.effective(), cc.effective(), c);
        capabilities("inheritable", pc.inheritable(), cc.inheritable(), c);
        capabilities("permitted", pc.permitted(), cc.permitted(), c);
        capabilities("ambient", pc.ambient(), cc.ambient(), c);
    }

    private static void capabilities(String set, List<String> parent, List<String> child, Checker c) {
        for (int i = 0; i < child.size(); i++) {
            if (!parent.contains(child.get(i))) {
                c.widens(DocPaths.index("process.capabilities." + set, i), child.get(i) + " is not in the " + set
                        + " set of parent '" + c.parentName() + "'");
            }
        }
    }

    /** CFS bandwidth is quota per period; compare the fractions of a CPU. */
    private static void cpu(CpuSpec parent, CpuSpec child, Checker c) {
        if (parent.quota().isEmpty()) {
            return;
        }
        String path = "linux.resources.cpu.quota";
        if (child == null || child.quota().isEmpty()) {
            c.looser(path, "no CPU quota", parent.quota().getAsLong() + "/" + parent.period().getAsLong() + " us");
            return;
        }
        BigInteger childShare = BigInteger.valueOf(child.quota().getAsLong()).multiply(BigInteger.valueOf(parent.period().getAsLong()));
        BigInteger parentShare = BigInteger.valueOf(parent.quota().getAsLong()).multiply(BigInteger.valueOf(child.period().getAsLong()));
        if (childShare.compareTo(parentShare) > 0) {
            c.looser(path, child.quota().getAsLong() + "/" + child.period().getAsLong() + " us",
                    parent.quota().getAsLong() + "/" + parent.period().getAsLong() + " us");
        }
    }

    private static void rlimits(List<RlimitSpec> parent, List<RlimitSpec> child, Checker c) {
        for (RlimitSpec p : parent) {
            int index = indexOf(child, p.type());
            if (index < 0) {
                c.looser("process.rlimits", "no " + p.type(), p.type() + " " + RlimitSpec.describe(p.soft())
                        + "/" + RlimitSpec.describe(p.hard()));
                continue;
            }
            RlimitSpec r = child.get(index);
            String at = DocPaths.index("process.rlimits", index);
            if (above(r.soft(), p.soft())) {
                c.looser(at + ".soft", RlimitSpec.describe(r.soft()), RlimitSpec.describe(p.soft()));
            }
            if (above(r.hard(), p.hard())) {
                c.looser(at + ".hard", RlimitSpec.describe(r.hard()), RlimitSpec.describe(p.hard()));
            }
        }
    }

    private static int indexOf(List<RlimitSpec> rlimits, String type) {
        for (int i = 0; i < rlimits.size(); i++) {
            if (rlimits.get(i).type().equals(type)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean above(long value, long limit) {
        return limit != RlimitSpec.UNLIMITED && (value == RlimitSpec.UNLIMITED || value > limit);
    }

    private record Checker(String parentName, Problems problems) {
        void at(String path, OptionalLong parent, OptionalLong child, LongFunction<String> show) {
            if (parent.isEmpty()) {
                return;
            }
            if (child.isEmpty()) {
                looser(path, "no limit", show.apply(parent.getAsLong()));
            } else if (child.getAsLong() > parent.getAsLong()) {
                looser(path, show.apply(child.getAsLong()), show.apply(parent.getAsLong()));
            }
        }

        void looser(String path, String child, String parent) {
            widens(path, child + " is looser than the " + parent + " of parent '" + parentName + "'");
        }

        void widens(String path, String what) {
            problems.add(path, what + "; a profile that extends another may only tighten, unless it says"
                    + " 'loosen: true'");
        }
    }
}
