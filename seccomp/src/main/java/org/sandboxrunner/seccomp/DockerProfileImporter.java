package org.sandboxrunner.seccomp;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.sandboxrunner.policy.SeccompAction;
import org.sandboxrunner.policy.SeccompArg;
import org.sandboxrunner.policy.SeccompOperator;
import org.sandboxrunner.policy.SeccompSpec;
import org.sandboxrunner.policy.SyscallRule;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads a Docker (moby) or Podman (containers/common) seccomp profile as published and evaluates it
 * the way moby's setupSeccomp does for one container: the {@code archMap} entry of the native
 * architecture gives the architectures; a rule is dropped when an {@code excludes} condition holds
 * (native architecture listed, any listed capability in the bounding set, kernel at least
 * {@code minKernel}) or an {@code includes} condition fails (native architecture not listed, a listed
 * capability missing from the bounding set, kernel older than {@code minKernel}). The result is plain
 * OCI with {@code unknownSyscalls: SKIP}, because published profiles name syscalls newer than the
 * libseccomp that compiles them (Docker skips those too).
 */
public final class DockerProfileImporter {
    private static final ObjectMapper MAPPER = strictMapper();
    private static final Pattern MIN_KERNEL = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})");
    private static final BigInteger MAX_U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private DockerProfileImporter() {}

    /**
     * @param boundingCaps capability names ("CAP_SYS_ADMIN") in the run's bounding set
     * @param nativeArch   the OCI name of the native architecture, e.g. "SCMP_ARCH_X86_64"
     */
    public static SeccompSpec importProfile(Path file, Set<String> boundingCaps, KernelVersion kernel, String nativeArch) {
        try (InputStream in = Files.newInputStream(file)) {
            return importProfile(in, boundingCaps, kernel, nativeArch);
        } catch (SeccompException e) {
            throw new SeccompException(file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** As {@link #importProfile(Path, Set, KernelVersion, String)}, from a stream the caller closes. */
    public static SeccompSpec importProfile(InputStream in, Set<String> boundingCaps, KernelVersion kernel, String nativeArch) {
        Objects.requireNonNull(boundingCaps, "boundingCaps");
        Objects.requireNonNull(kernel, "kernel");
        Architecture arch = Architecture.fromOciName(nativeArch).orElseThrow(() -> new IllegalArgumentException(
                "unknown native architecture '" + nativeArch + "'; known: " + Architecture.known()));
        DockerProfile profile;
        try {
            profile = MAPPER.readValue(in, DockerProfile.class);
        } catch (JsonMappingException e) {
            throw new SeccompException(path(e) + ": " + e.getOriginalMessage(), e);
        } catch (JacksonException e) {
            throw new SeccompException("not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (profile == null) {
            throw new SeccompException("the profile is JSON null, not an object");
        }
        return new Evaluation(boundingCaps, kernel, arch).spec(profile);
    }

    private static ObjectMapper strictMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // "action": 1 must not become the string "1".
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    /** "syscalls[3].args[0].op" from Jackson's reference chain. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            }
        }
        return path.length() == 0 ? "(top level)" : path.toString();
    }

    /** One evaluation of a profile against a bounding set, kernel and architecture. */
    private record Evaluation(Set<String> boundingCaps, KernelVersion kernel, Architecture arch) {

        SeccompSpec spec(DockerProfile profile) {
            SeccompAction defaultAction = action(required(profile.defaultAction(), "defaultAction"), "defaultAction");
            OptionalInt defaultErrno = errno(profile.defaultErrnoRet(), profile.defaultErrno(), "defaultErrnoRet", "defaultErrno");
            if (notEmpty(profile.listenerPath()) || notEmpty(profile.listenerMetadata())) {
                throw new SeccompException("listenerPath: an external seccomp agent is not supported;"
                        + " the runner serves SCMP_ACT_NOTIFY itself");
            }
            List<String> architectures = architectures(profile);
            List<SyscallRule> rules = new ArrayList<>();
            List<DockerProfile.Syscall> syscalls = orEmpty(profile.syscalls(), "syscalls");
            for (int i = 0; i < syscalls.size(); i++) {
                String where = "syscalls[" + i + "]";
                DockerProfile.Syscall syscall = syscalls.get(i);
                // Conditions are checked even for rules they drop, so a typo never hides until another host.
                boolean excluded = excluded(syscall.excludes(), where + ".excludes");
                boolean included = included(syscall.includes(), where + ".includes");
                SyscallRule rule = rule(syscall, where);
                if (included && !excluded) {
                    rules.add(rule);
                }
            }
            List<String> flags = orEmpty(profile.flags(), "flags");
            try {
                return new SeccompSpec(defaultAction, defaultErrno, architectures, flags, rules, SeccompSpec.UnknownSyscalls.SKIP);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new SeccompException(e.getMessage(), e);
            }
        }

        private List<String> architectures(DockerProfile profile) {
            List<String> listed = orEmpty(profile.architectures(), "architectures");
            List<DockerProfile.ArchMapEntry> archMap = orEmpty(profile.archMap(), "archMap");
            if (!listed.isEmpty() && !archMap.isEmpty()) {
                throw new SeccompException("architectures and archMap are both given; use one of them");
            }
            for (int i = 0; i < archMap.size(); i++) {
                DockerProfile.ArchMapEntry entry = archMap.get(i);
                String where = "archMap[" + i + "]";
                if (required(entry.architecture(), where + ".architecture").equals(arch.ociName())) {
                    List<String> architectures = new ArrayList<>();
                    architectures.add(entry.architecture());
                    architectures.addAll(orEmpty(entry.subArchitectures(), where + ".subArchitectures"));
                    return architectures;
                }
            }
            return listed;
        }

        private boolean excluded(DockerProfile.Filter filter, String where) {
            if (filter == null) {
                return false;
            }
            boolean arches = orEmpty(filter.arches(), where + ".arches").contains(arch.dockerName());
            boolean caps = orEmpty(filter.caps(), where + ".caps").stream().anyMatch(boundingCaps::contains);
            boolean kernelAtLeast = minKernel(filter.minKernel(), where + ".minKernel").map(min -> kernel.compareTo(min) >= 0)
                    .orElse(false);
            return arches || caps || kernelAtLeast;
        }

        private boolean included(DockerProfile.Filter filter, String where) {
            if (filter == null) {
                return true;
            }
            List<String> arches = orEmpty(filter.arches(), where + ".arches");
            boolean archOk = arches.isEmpty() || arches.contains(arch.dockerName());
            boolean capsOk = boundingCaps.containsAll(orEmpty(filter.caps(), where + ".caps"));
            boolean kernelOk = minKernel(filter.minKernel(), where + ".minKernel").map(min -> kernel.compareTo(min) >= 0)
                    .orElse(true);
            return archOk && capsOk && kernelOk;
        }

        private SyscallRule rule(DockerProfile.Syscall syscall, String where) {
            List<String> names;
            if (notEmpty(syscall.name())) {
                if (!orEmpty(syscall.names(), where + ".names").isEmpty()) {
                    throw new SeccompException(where + ": name and names are both given; use one of them");
                }
                names = List.of(syscall.name());
            } else {
                names = orEmpty(syscall.names(), where + ".names");
            }
            if (names.isEmpty()) {
                throw new SeccompException(where + ": no syscall names (name or names)");
            }
            SeccompAction action = action(required(syscall.action(), where + ".action"), where + ".action");
            OptionalInt errnoRet = errno(syscall.errnoRet(), syscall.errno(), where + ".errnoRet", where + ".errno");
            List<DockerProfile.Arg> wireArgs = orEmpty(syscall.args(), where + ".args");
            List<SeccompArg> args = new ArrayList<>();
            for (int j = 0; j < wireArgs.size(); j++) {
                args.add(arg(wireArgs.get(j), where + ".args[" + j + "]"));
            }
            try {
                return new SyscallRule(names, action, errnoRet, args);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new SeccompException(where + ": " + e.getMessage(), e);
            }
        }

        private static SeccompArg arg(DockerProfile.Arg arg, String where) {
            int index = required(arg.index(), where + ".index");
            if (index < 0 || index > SeccompArg.MAX_INDEX) {
                throw new SeccompException(where + ".index: must be between 0 and " + SeccompArg.MAX_INDEX + ", got " + index);
            }
            SeccompOperator op = Arrays.stream(SeccompOperator.values())
                    .filter(o -> o.name().equals(required(arg.op(), where + ".op")))
                    .findFirst()
                    .orElseThrow(() -> new SeccompException(where + ".op: unknown operator '" + arg.op() + "'; known: "
                            + Arrays.toString(SeccompOperator.values())));
            return new SeccompArg(index, u64(arg.value(), where + ".value"), u64(arg.valueTwo(), where + ".valueTwo"), op);
        }

        /** An unsigned 64-bit JSON number as the bits of a long; absent is 0, as in Go. */
        private static long u64(BigInteger value, String where) {
            if (value == null) {
                return 0;
            }
            if (value.signum() < 0 || value.compareTo(MAX_U64) > 0) {
                throw new SeccompException(where + ": must be an unsigned 64-bit number, got " + value);
            }
            return value.longValue();
        }

        private static SeccompAction action(String name, String where) {
            return Arrays.stream(SeccompAction.values()).filter(a -> a.ociName().equals(name)).findFirst()
                    .orElseThrow(() -> new SeccompException(where + ": unknown action '" + name + "'; known: "
                            + Arrays.toString(SeccompAction.values())));
        }

        /** errnoRet (a number) and containers/common's errno (a name such as "EPERM"): either, or both if they agree. */
        private static OptionalInt errno(Long number, String name, String numberWhere, String nameWhere) {
            OptionalInt byName = OptionalInt.empty();
            if (notEmpty(name)) {
                byName = OptionalInt.of(Errno.byName(name).orElseThrow(() -> new SeccompException(
                        nameWhere + ": unknown errno name '" + name + "'")));
            }
            if (number == null) {
                return byName;
            }
            if (number < 0 || number > Integer.MAX_VALUE) {
                throw new SeccompException(numberWhere + ": must be a non-negative errno number, got " + number);
            }
            if (byName.isPresent() && byName.getAsInt() != number) {
                throw new SeccompException(numberWhere + " is " + number + " but " + nameWhere + " is " + name
                        + " (" + byName.getAsInt() + ")");
            }
            return OptionalInt.of(number.intValue());
        }

        /** moby's minKernel: "<kernel>.<major>", each 0-255, not "0.0"; "" means none. */
        private static Optional<KernelVersion> minKernel(String value, String where) {
            if (value == null || value.isEmpty()) {
                return Optional.empty();
            }
            Matcher matcher = MIN_KERNEL.matcher(value);
            int major = matcher.matches() ? Integer.parseInt(matcher.group(1)) : -1;
            int minor = matcher.matches() ? Integer.parseInt(matcher.group(2)) : -1;
            if (major < 0 || major > 255 || minor < 0 || minor > 255 || major + minor == 0) {
                throw new SeccompException(where + ": '" + value + "' is not <kernel>.<major> (for example \"4.8\")");
            }
            return Optional.of(new KernelVersion(major, minor));
        }

        private static <T> T required(T value, String where) {
            if (value == null) {
                throw new SeccompException(where + ": is required");
            }
            return value;
        }

        /** A JSON array that may be absent or null (Podman writes "args": null); its elements may not be null. */
        private static <T> List<T> orEmpty(List<T> values, String where) {
            if (values == null) {
                return List.of();
            }
            for (int i = 0; i < values.size(); i++) {
                required(values.get(i), where + "[" + i + "]");
            }
            return values;
        }

        private static boolean notEmpty(String value) {
            return value != null && !value.isEmpty();
        }
    }
}
