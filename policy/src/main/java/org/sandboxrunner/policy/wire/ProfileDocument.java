package org.sandboxrunner.policy.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.sandboxrunner.policy.wire.WireScalars.RlimitValue;
import org.sandboxrunner.policy.wire.WireScalars.Size;
import org.sandboxrunner.policy.wire.WireScalars.Uint64;
import org.sandboxrunner.policy.wire.WireScalars.Umask;

/**
 * The profile document exactly as written (YAML or JSON): every field nullable (null = not written),
 * nothing validated beyond JSON types. The strict mapper binds documents to these records; the loader
 * turns them into the validated domain records of {@code org.sandboxrunner.policy}. Field names are
 * the OCI runtime spec's (config.json) wherever it has one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProfileDocument(
        String apiVersion,
        String name,
        String description,
        @JsonProperty("extends") String extendsRef,
        Boolean loosen,
        List<String> append,
        String hostname,
        Process process,
        Linux linux,
        List<Mount> mounts,
        Filesystem filesystem,
        Limits limits,
        Image image,
        Audit audit,
        List<String> degrade) {

    /** OCI {@code process}, plus the runner's {@code securebits}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Process(
            User user,
            List<String> env,
            String cwd,
            Capabilities capabilities,
            List<Rlimit> rlimits,
            Boolean noNewPrivileges,
            List<String> securebits) {}

    /** OCI {@code process.user}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record User(Long uid, Long gid, Umask umask, List<Long> additionalGids) {}

    /** OCI {@code process.capabilities}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Capabilities(
            List<String> bounding,
            List<String> effective,
            List<String> inheritable,
            List<String> permitted,
            List<String> ambient) {}

    /** OCI {@code process.rlimits[]}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rlimit(String type, RlimitValue soft, RlimitValue hard) {}

    /** OCI {@code linux}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Linux(
            List<Namespace> namespaces,
            List<IdMapping> uidMappings,
            List<IdMapping> gidMappings,
            Resources resources,
            Seccomp seccomp,
            List<String> maskedPaths,
            List<String> readonlyPaths) {}

    /** OCI {@code linux.namespaces[]}; {@code path} is read only to refuse it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Namespace(String type, String path) {}

    /** OCI {@code linux.uidMappings[]} and {@code gidMappings[]}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IdMapping(
            @JsonProperty("containerID") Long containerID,
            @JsonProperty("hostID") Long hostID,
            Long size) {}

    /** OCI {@code linux.resources}, the part this runner enforces. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Resources(Memory memory, Cpu cpu, Pids pids, @JsonProperty("blockIO") BlockIo blockIO) {}

    /** OCI {@code linux.resources.memory}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Memory(Size limit, Size swap) {}

    /** OCI {@code linux.resources.cpu}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cpu(Long quota, Long period, Long shares, String cpus, String mems) {}

    /** OCI {@code linux.resources.pids}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Pids(Long limit) {}

    /** OCI {@code linux.resources.blockIO}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BlockIo(Long weight) {}

    /** OCI {@code linux.seccomp}, plus the runner's {@code unknownSyscalls}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Seccomp(
            String defaultAction,
            Long defaultErrnoRet,
            List<String> architectures,
            List<String> flags,
            List<Syscall> syscalls,
            String unknownSyscalls) {}

    /** OCI {@code linux.seccomp.syscalls[]}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Syscall(List<String> names, String action, Long errnoRet, List<Arg> args) {}

    /** OCI {@code linux.seccomp.syscalls[].args[]}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Arg(Long index, Uint64 value, Uint64 valueTwo, String op) {}

    /** OCI {@code mounts[]}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Mount(String destination, String type, String source, List<String> options) {}

    /** Runner addition {@code filesystem}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Filesystem(List<String> hostReadOnly, String box, Size tmpSize) {}

    /** Runner addition {@code limits}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Limits(Long cpuTimeMs, Long wallTimeMs, Size outputBytes) {}

    /** Runner addition {@code image}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Image(String reference, String trustPolicy) {}

    /** Runner addition {@code audit}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Audit(String log, String signingKey) {}
}
