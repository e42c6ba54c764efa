package org.sandboxrunner.seccomp;

import java.util.Optional;

/**
 * Syscall names and numbers per architecture, from libseccomp's tables (never from a table kept
 * here), for reports of denied syscalls and for tests. Architectures are OCI {@code SCMP_ARCH_*}
 * names. x32 numbers include bit 30 (__X32_SYSCALL_BIT), as the kernel presents them.
 */
public final class SyscallNames {
    /** __X32_SYSCALL_BIT (arch/x86/include/uapi/asm/unistd.h). */
    private static final int X32_SYSCALL_BIT = 0x4000_0000;

    private final LibSeccomp lib;

    SyscallNames(LibSeccomp lib) {
        this.lib = lib;
    }

    /** Binds libseccomp.so.2 through JNA. */
    public static SyscallNames create() {
        return new SyscallNames(JnaLibSeccomp.load());
    }

    /**
     * The syscall's number on the architecture.
     *
     * @throws SeccompException if libseccomp does not know the name, or the architecture has no such
     *                          syscall (libseccomp gives a negative pseudo number for those)
     */
    public int resolve(String name, String arch) {
        int number = lib.resolveSyscall(archToken(arch), name);
        if (number == LibSeccomp.NR_SCMP_ERROR) {
            throw new SeccompException("syscall '" + name + "' is unknown to libseccomp " + lib.version());
        }
        if (number < 0) {
            throw new SeccompException("syscall '" + name + "' does not exist on " + arch
                    + " (libseccomp pseudo number " + number + ")");
        }
        return number;
    }

    /** The name of a syscall number on the architecture, if it has one. */
    public Optional<String> name(int number, String arch) {
        return lib.syscallName(archToken(arch), number);
    }

    /**
     * The architecture of a syscall as a filter sees it: {@code auditArch} is seccomp_data.arch
     * (AUDIT_ARCH_*); an x86_64 number with bit 30 (__X32_SYSCALL_BIT) set is an x32 call. Empty for an
     * architecture this runner or libseccomp does not know.
     */
    public Optional<Architecture> architecture(int auditArch, int nr) {
        for (Architecture a : Architecture.values()) {
            if (a == Architecture.SCMP_ARCH_X32 || lib.archToken(a.libseccompName()).orElse(0) != auditArch) {
                continue;
            }
            return Optional.of(a == Architecture.SCMP_ARCH_X86_64 && (nr & X32_SYSCALL_BIT) != 0 ? Architecture.SCMP_ARCH_X32 : a);
        }
        return Optional.empty();
    }

    /**
     * libseccomp's token for the architecture: the AUDIT_ARCH_* value a filter sees in
     * seccomp_data.arch, except for x32, whose syscalls the kernel presents as AUDIT_ARCH_X86_64.
     */
    public int archToken(String arch) {
        return Architectures.token(lib, Architecture.fromOciName(arch).orElseThrow(() -> new SeccompException(
                "unknown architecture '" + arch + "'; known: " + Architecture.known())));
    }
}
