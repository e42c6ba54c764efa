package org.sandboxrunner.seccomp;

import java.math.BigInteger;
import java.util.List;

/**
 * The JSON wire form of a Docker/Podman seccomp profile, kept apart from the validated
 * {@link org.sandboxrunner.policy.SeccompSpec}. Fields are moby's ({@code profiles/seccomp}) plus
 * containers/common's {@code defaultErrno}/{@code errno} names; anything else is an error.
 * Absent fields are null here and judged by {@link DockerProfileImporter}.
 */
record DockerProfile(
        String defaultAction,
        Long defaultErrnoRet,
        String defaultErrno,
        List<String> architectures,
        List<ArchMapEntry> archMap,
        List<Syscall> syscalls,
        List<String> flags,
        String listenerPath,
        String listenerMetadata) {

    record ArchMapEntry(String architecture, List<String> subArchitectures) {}

    record Syscall(
            String name,
            List<String> names,
            String action,
            Long errnoRet,
            String errno,
            List<Arg> args,
            String comment,
            Filter includes,
            Filter excludes) {}

    /** {@code value}/{@code valueTwo} are unsigned 64-bit, hence BigInteger on the wire. */
    record Arg(Integer index, BigInteger value, BigInteger valueTwo, String op) {}

    record Filter(List<String> caps, List<String> arches, String minKernel) {}
}
