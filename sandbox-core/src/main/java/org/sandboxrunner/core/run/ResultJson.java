package org.sandboxrunner.core.run;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The JSON form of a run's result ({@code --result FILE}), kept apart from {@link RunResult}: these
 * field names are a contract scripts rely on (issue 2); later fields are only ever added.
 */
@JsonPropertyOrder({"runId", "status", "exitCode", "signal", "cpuTimeMs", "wallTimeMs", "memoryPeakBytes", "maxRssBytes",
    "outputBytes", "oomKilled", "limit", "message", "profile", "image", "failedStep", "steps", "state",
    "deniedSyscalls", "deniedSyscallsDropped", "deniedSyscallsOff"})
public record ResultJson(String runId, String status, Integer exitCode, Integer signal, long cpuTimeMs, long wallTimeMs,
        long memoryPeakBytes, long maxRssBytes, long outputBytes, boolean oomKilled, String limit, String message,
        ProfileJson profile, ImageJson image, String failedStep, List<String> steps, StateJson state,
        List<DeniedJson> deniedSyscalls, long deniedSyscallsDropped, String deniedSyscallsOff) {

    /** The state read back before exec: its SHA-256, the mount table's size and hash, the differences from the plan. */
    @JsonPropertyOrder({"sha256", "mountCount", "mountTableSha256", "differences"})
    public record StateJson(String sha256, int mountCount, String mountTableSha256, List<String> differences) {
        static StateJson of(StateProof p) {
            return new StateJson(p.sha256(), p.mountCount(), p.mountTableSha256(), p.differences());
        }
    }

    @JsonPropertyOrder({"name", "sha256"})
    public record ProfileJson(String name, String sha256) {}

    @JsonPropertyOrder({"digest", "keyId", "requirement"})
    public record ImageJson(String digest, String keyId, String requirement) {}

    /** One denied syscall; {@code name} is null for a number libseccomp does not know, args are hex. */
    @JsonPropertyOrder({"name", "number", "architecture", "action", "errno", "args", "count"})
    public record DeniedJson(String name, int number, String architecture, String action, Integer errno, List<String> args,
            long count) {
        static DeniedJson of(DeniedSyscall d) {
            return new DeniedJson(d.name().orElse(null), d.number(), d.architecture(), d.action(),
                    d.errno().isPresent() ? d.errno().getAsInt() : null,
                    d.args().stream().map(a -> "0x" + Long.toHexString(a)).toList(), d.count());
        }
    }

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    public static ResultJson of(RunResult r) {
        return new ResultJson(r.runId(), r.status().name(), r.exitCode().isPresent() ? r.exitCode().getAsInt() : null,
                r.signal().isPresent() ? r.signal().getAsInt() : null, r.cpuTimeMs(), r.wallTimeMs(), r.memoryPeakBytes(),
                r.maxRssBytes(), r.outputBytes(), r.oomKilled(), r.limit().orElse(null), r.message(),
                new ProfileJson(r.profileName(), r.profileSha256()),
                r.image().map(i -> new ImageJson(i.digest(), i.keyId().orElse(null), i.requirement())).orElse(null),
                r.failedStep().orElse(null), r.steps(),
                // A result exists only for a run the state gate let through: no differences.
                r.state().map(s -> StateJson.of(StateProof.of(s, List.of()))).orElse(null),
                r.deniedSyscalls().syscalls().stream().map(DeniedJson::of).toList(),
                r.deniedSyscalls().dropped(), r.deniedSyscalls().off().orElse(null));
    }

    /** The result of a run whose set-up failed: status XX, the failed step, nothing measured. */
    public static ResultJson setupFailure(String runId, SandboxSetupException e, String profileName, String profileSha256) {
        return new ResultJson(runId, Status.XX.name(), null, null, 0, 0, 0, 0, 0, false, null, e.getMessage(),
                profileName == null ? null : new ProfileJson(profileName, profileSha256), null, e.step(), List.of(),
                e.stateProof().map(StateJson::of).orElse(null), List.of(), 0, "the run did not start");
    }

    /** Writes atomically: a reader never sees half a result. */
    public void write(Path file) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.write(tmp, MAPPER.writeValueAsBytes(this));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the result to " + file + ": " + e.getMessage(), e);
        }
    }

    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
