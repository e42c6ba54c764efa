package org.sandboxrunner.seccomp;

import java.util.List;
import java.util.Objects;

/**
 * A seccomp section compiled to what the native stage loads: the raw classic BPF program, and the
 * flags to pass to seccomp(SECCOMP_SET_MODE_FILTER, flags, &prog). Immutable; {@link #bytes()}
 * returns a copy.
 */
public final class CompiledFilter {
    private final byte[] bytes;
    private final BpfProgram program;
    private final String pfc;
    private final List<String> skippedSyscalls;
    private final boolean usesNotify;
    private final int loadFlags;
    private final List<Architecture> architectures;
    private final String libseccompVersion;

    CompiledFilter(byte[] bytes, String pfc, List<String> skippedSyscalls, boolean usesNotify, int loadFlags,
                   List<Architecture> architectures, String libseccompVersion) {
        this.bytes = bytes.clone();
        // The kernel's load-time checks: a program the native stage could not load is never handed out.
        this.program = BpfProgram.parse(this.bytes);
        this.pfc = Objects.requireNonNull(pfc, "pfc");
        this.skippedSyscalls = List.copyOf(skippedSyscalls);
        this.usesNotify = usesNotify;
        this.loadFlags = loadFlags;
        this.architectures = List.copyOf(architectures);
        this.libseccompVersion = Objects.requireNonNull(libseccompVersion, "libseccompVersion");
    }

    /** The program: {@code instructionCount()} {@code struct sock_filter}s in native byte order. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int instructionCount() {
        return bytes.length / BpfProgram.INSTRUCTION_SIZE;
    }

    /** libseccomp's pseudo-filter-code listing (seccomp_export_pfc), for diagnostics only. */
    public String pfc() {
        return pfc;
    }

    /** Syscall names libseccomp does not know, left out of the filter (SeccompSpec.UnknownSyscalls.SKIP). */
    public List<String> skippedSyscalls() {
        return skippedSyscalls;
    }

    /**
     * Whether a rule returns SCMP_ACT_NOTIFY; {@link #loadFlags()} then includes
     * SECCOMP_FILTER_FLAG_NEW_LISTENER and the kernel returns the listener fd from seccomp(2).
     */
    public boolean usesNotify() {
        return usesNotify;
    }

    /** SECCOMP_FILTER_FLAG_* bits for seccomp(SECCOMP_SET_MODE_FILTER, flags, &prog). */
    public int loadFlags() {
        return loadFlags;
    }

    /** The architectures the filter covers, native first; other architectures are killed (bad arch). */
    public List<Architecture> architectures() {
        return architectures;
    }

    /** The libseccomp version that produced the program. */
    public String libseccompVersion() {
        return libseccompVersion;
    }

    /** The program, parsed for evaluation. */
    public BpfProgram program() {
        return program;
    }
}
