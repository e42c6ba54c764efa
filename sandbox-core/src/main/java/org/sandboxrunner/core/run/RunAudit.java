package org.sandboxrunner.core.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.sandboxrunner.audit.AuditEvent;
import org.sandboxrunner.audit.AuditLog;
import org.sandboxrunner.audit.AuditObject;
import org.sandboxrunner.core.box.CopyBackReport;
import org.sandboxrunner.core.launch.ObservedState;
import org.sandboxrunner.core.launch.StateDifference;

/**
 * Writes one run's audit events: {@code run.start} before anything touches the kernel (if it cannot be
 * written, the run does not happen), one {@code run.step} per pipeline step in order, {@code run.state}
 * with what the kernel held before exec, {@code run.degraded} when the profile let a missing feature
 * go, and {@code run.outcome}; then a checkpoint, so every outcome is sealed. docs/audit.md lists the
 * fields.
 */
final class RunAudit {
    private final Optional<AuditLog> log;
    private AuditObject object;

    RunAudit(Optional<AuditLog> log, String runId, ResolvedProfile profile, List<String> command) {
        this.log = log;
        this.object = AuditObject.forRun(runId).withProfile(profile.name(), profile.sha256()).withCommand(command);
    }

    void start(EffectiveLimits limits) {
        append(() -> {
            ObjectNode d = AuditEvent.newDetails();
            limits.cpuTimeMs().ifPresent(v -> d.put("cpuTimeMs", v));
            limits.wallTimeMs().ifPresent(v -> d.put("wallTimeMs", v));
            limits.memoryBytes().ifPresent(v -> d.put("memoryBytes", v));
            limits.pids().ifPresent(v -> d.put("pids", v));
            limits.outputBytes().ifPresent(v -> d.put("outputBytes", v));
            return AuditEvent.success("run.start", "start", object, d);
        });
    }

    /** {@code image.verify}: the digest that was verified and will run, the key and the requirement. */
    void image(ImageRoot image) {
        object = object.withImage(image.digest(), image.keyId().orElse(null));
        append(() -> {
            ObjectNode d = AuditEvent.newDetails();
            d.put("requirement", image.requirement());
            d.put("layers", image.lowerDirs().size());
            return AuditEvent.success("image.verify", "verify", object, d);
        });
    }

    void degraded(String feature, String reason) {
        append(() -> {
            ObjectNode d = AuditEvent.newDetails();
            d.put("feature", feature);
            return AuditEvent.failure("run.degraded", feature, reason, object, d);
        });
    }

    /** {@code run.copy-back}: what the run's box brought home to the work directory. */
    void copyBack(CopyBackReport c) {
        append(() -> {
            ObjectNode d = AuditEvent.newDetails();
            d.put("files", c.files());
            d.put("bytes", c.bytes());
            d.put("directories", c.directories());
            d.put("removed", c.removed());
            ArrayNode skipped = d.putArray("skipped");
            c.skipped().forEach(skipped::add);
            return AuditEvent.success("run.copy-back", "copy-back", object, d);
        });
    }

    void steps(List<String> completed) {
        for (int i = 0; i < completed.size(); i++) {
            int order = i + 1;
            String step = completed.get(i);
            append(() -> {
                ObjectNode d = AuditEvent.newDetails();
                d.put("order", order);
                return AuditEvent.success("run.step", step, object, d);
            });
        }
    }

    void failedStep(String step, String message, int exitCode) {
        append(() -> {
            ObjectNode d = AuditEvent.newDetails();
            d.put("exitCode", exitCode);
            return AuditEvent.failure("run.step", step, message, object, d);
        });
        checkpoint();
    }

    /**
     * {@code run.state}: the state read back before exec, in full, with its SHA-256 and the differences
     * from the plan; a failure event when there are any (the run was then stopped before exec).
     */
    void state(ObservedState s, List<StateDifference> differences) {
        append(() -> {
            ObjectNode d = AuditEvent.newDetails();
            d.put("sha256", s.sha256());
            ArrayNode diffs = d.putArray("differences");
            differences.forEach(x -> diffs.add(x.toString()));
            d.put("bounding", hex(s.bounding()));
            d.put("permitted", hex(s.permitted()));
            d.put("effective", hex(s.effective()));
            d.put("inheritable", hex(s.inheritable()));
            d.put("ambient", hex(s.ambient()));
            d.put("securebits", s.securebits());
            numbers(d.putArray("uids"), s.uids());
            numbers(d.putArray("gids"), s.gids());
            numbers(d.putArray("groups"), s.groups());
            d.put("noNewPrivs", s.noNewPrivs());
            ObjectNode rl = d.putObject("rlimits");
            s.rlimits().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> numbers(rl.putArray(e.getKey()), e.getValue()));
            ObjectNode ns = d.putObject("namespaces");
            s.namespaceInodes().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> ns.put(e.getKey(), e.getValue()));
            ArrayNode uidMap = d.putArray("uidMap");
            s.uidMap().forEach(e -> numbers(uidMap.addArray(), e));
            ArrayNode gidMap = d.putArray("gidMap");
            s.gidMap().forEach(e -> numbers(gidMap.addArray(), e));
            d.put("setgroups", s.setgroups());
            d.put("hostname", s.hostname());
            d.put("mountCount", s.mounts().size());
            d.put("mountTableSha256", s.mountTableSha256());
            ArrayNode cg = d.putArray("cgroups");
            s.cgroups().forEach(cg::add);
            s.seccomp().ifPresent(sc -> d.putObject("seccomp").put("mode", sc.mode()).put("filters", sc.filters()));
            return differences.isEmpty() ? AuditEvent.success("run.state", "verify-state", object, d)
                : AuditEvent.failure("run.state", "verify-state", "the kernel's state differs from the plan", object, d);
        });
    }

    /**
     * {@code run.denied-syscalls}: what the seccomp filter refused (written only when it refused
     * something), or, as a failure, why the report was off for a run with a filter.
     */
    void denied(DeniedSyscalls denied) {
        if (denied.off().isPresent()) {
            append(() -> AuditEvent.failure("run.denied-syscalls", "report", "the denied-syscall report is off: "
                    + denied.off().get(), object, AuditEvent.newDetails()));
            return;
        }
        if (denied.syscalls().isEmpty()) {
            return;
        }
        append(() -> {
            ObjectNode d = AuditEvent.newDetails();
            ArrayNode list = d.putArray("syscalls");
            for (DeniedSyscall s : denied.syscalls()) {
                ObjectNode e = list.addObject();
                s.name().ifPresent(n -> e.put("name", n));
                e.put("number", s.number());
                e.put("architecture", s.architecture());
                e.put("action", s.action());
                s.errno().ifPresent(v -> e.put("errno", v));
                ArrayNode args = e.putArray("args");
                s.args().forEach(a -> args.add("0x" + Long.toHexString(a)));
                e.put("count", s.count());
            }
            d.put("dropped", denied.dropped());
            return AuditEvent.success("run.denied-syscalls", "report", object, d);
        });
    }

    void outcome(RunResult r) {
        append(() -> {
            ObjectNode d = AuditEvent.newDetails();
            d.put("status", r.status().name());
            r.exitCode().ifPresent(v -> d.put("exitCode", v));
            r.signal().ifPresent(v -> d.put("signal", v));
            d.put("cpuTimeMs", r.cpuTimeMs());
            d.put("wallTimeMs", r.wallTimeMs());
            d.put("memoryPeakBytes", r.memoryPeakBytes());
            d.put("maxRssBytes", r.maxRssBytes());
            d.put("outputBytes", r.outputBytes());
            d.put("oomKilled", r.oomKilled());
            r.limit().ifPresent(v -> d.put("limit", v));
            return AuditEvent.success("run.outcome", "run", object, d);
        });
        checkpoint();
    }

    /**
     * Builds the event only when there is a log to write it to: without one, a run pays nothing for
     * its audit (the state's hashes and the event details are work on every run's path).
     */
    private void append(Supplier<AuditEvent> event) {
        if (log.isEmpty()) {
            return;
        }
        AuditEvent e = event.get();
        try {
            log.get().append(e);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write the audit event " + e.type() + "/" + e.action() + " to "
                    + log.get().file() + ": " + ex.getMessage(), ex);
        }
    }

    private void checkpoint() {
        if (log.isEmpty()) {
            return;
        }
        try {
            log.get().checkpoint();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot seal the audit log " + log.get().file() + ": " + ex.getMessage(), ex);
        }
    }

    private static String hex(long v) {
        return String.format("%016x", v);
    }

    private static void numbers(ArrayNode a, List<Long> values) {
        values.forEach(a::add);
    }
}
