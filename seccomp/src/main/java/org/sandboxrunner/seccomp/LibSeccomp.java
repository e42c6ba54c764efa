package org.sandboxrunner.seccomp;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What this module needs from libseccomp, free of JNA types. Architectures are libseccomp tokens
 * (the AUDIT_ARCH_* values, except x32's own token); syscall numbers are as libseccomp gives them,
 * which includes negative pseudo numbers for syscalls an architecture does not have.
 */
interface LibSeccomp {
    /** libseccomp's "no such syscall" (__NR_SCMP_ERROR in seccomp.h). */
    int NR_SCMP_ERROR = -1;

    /** "major.minor.micro" of the loaded library. */
    String version();

    /** The library file this process runs libseccomp's code from; empty when that cannot be told. */
    Optional<Path> file();

    /** seccomp_api_get(): the API level the library detected on this kernel; empty before libseccomp 2.4. */
    OptionalInt apiLevel();

    /** Whether the loaded library exports the function, probed by name. */
    boolean hasFunction(String name);

    int nativeArchToken();

    /** seccomp_arch_resolve_name(); empty when libseccomp does not know the name. */
    OptionalInt archToken(String libseccompName);

    /** seccomp_syscall_resolve_name_arch(): a number, a negative pseudo number, or {@link #NR_SCMP_ERROR}. */
    int resolveSyscall(int archToken, String name);

    /** seccomp_syscall_resolve_num_arch(). */
    Optional<String> syscallName(int archToken, int number);

    /** seccomp_init(); the caller closes the context. */
    FilterContext newFilter(int defaultAction);

    /** strerror(3). */
    String strerror(int errno);

    /** A libseccomp filter context: a scmp_filter_ctx released exactly once by {@link #close()}. */
    interface FilterContext extends AutoCloseable {
        boolean hasArch(int archToken);

        void addArch(int archToken, String label);

        void setAttribute(FilterAttribute attribute, int value);

        int attribute(FilterAttribute attribute);

        /** seccomp_rule_add_array() with the conditions ANDed; {@code syscallName} only labels errors. */
        void addRule(String syscallName, int syscall, int action, List<ArgCondition> conditions);

        /** seccomp_export_bpf(): the raw program, as the kernel loads it. */
        byte[] exportBpf();

        /** seccomp_export_pfc(): libseccomp's pseudo-code listing, for diagnostics. */
        String exportPfc();

        /** seccomp_release(); closing twice is harmless. */
        @Override
        void close();
    }
}
