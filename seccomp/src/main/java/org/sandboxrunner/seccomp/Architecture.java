package org.sandboxrunner.seccomp;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The OCI {@code SCMP_ARCH_*} names this runner accepts (runc's set), with the name libseccomp's
 * seccomp_arch_resolve_name() takes and the architecture name Docker profiles use in
 * {@code includes.arches}/{@code excludes.arches} (moby's {@code goToNative} table).
 */
public enum Architecture {
    SCMP_ARCH_X86("x86", "x86"),
    SCMP_ARCH_X86_64("x86_64", "amd64"),
    SCMP_ARCH_X32("x32", "x32"),
    SCMP_ARCH_ARM("arm", "arm"),
    SCMP_ARCH_AARCH64("aarch64", "arm64"),
    SCMP_ARCH_MIPS("mips", "mips"),
    SCMP_ARCH_MIPS64("mips64", "mips64"),
    SCMP_ARCH_MIPS64N32("mips64n32", "mips64n32"),
    SCMP_ARCH_MIPSEL("mipsel", "mipsel"),
    SCMP_ARCH_MIPSEL64("mipsel64", "mipsel64"),
    /** moby spells this Docker name "mips3l64n32"; kept as moby matches it. */
    SCMP_ARCH_MIPSEL64N32("mipsel64n32", "mips3l64n32"),
    SCMP_ARCH_PPC("ppc", "ppc"),
    SCMP_ARCH_PPC64("ppc64", "ppc64"),
    SCMP_ARCH_PPC64LE("ppc64le", "ppc64le"),
    SCMP_ARCH_RISCV64("riscv64", "riscv64"),
    SCMP_ARCH_S390("s390", "s390"),
    SCMP_ARCH_S390X("s390x", "s390x");

    /** containers/common's spelling of "the architecture the filter is built on". */
    public static final String NATIVE = "SCMP_ARCH_NATIVE";

    private final String libseccompName;
    private final String dockerName;

    Architecture(String libseccompName, String dockerName) {
        this.libseccompName = libseccompName;
        this.dockerName = dockerName;
    }

    public String ociName() {
        return name();
    }

    /** The name seccomp_arch_resolve_name() takes. */
    public String libseccompName() {
        return libseccompName;
    }

    /** The name Docker profiles use in {@code includes.arches} and {@code excludes.arches}. */
    public String dockerName() {
        return dockerName;
    }

    public static Optional<Architecture> fromOciName(String name) {
        return Arrays.stream(values()).filter(a -> a.name().equals(name)).findFirst();
    }

    /** "SCMP_ARCH_X86, SCMP_ARCH_X86_64, ..." for error messages. */
    static String known() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
