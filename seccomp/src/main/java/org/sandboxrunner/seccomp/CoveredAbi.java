package org.sandboxrunner.seccomp;

import java.nio.ByteOrder;

/**
 * How one architecture's syscalls look to a filter: the {@code seccomp_data.arch} value, the byte order
 * the kernel lays {@code seccomp_data} out in, and whether libseccomp compares only the low 32 bits of
 * arguments. Read from the AUDIT_ARCH_* bits of libseccomp's token (include/uapi/linux/audit.h):
 * __AUDIT_ARCH_64BIT, __AUDIT_ARCH_LE, and __AUDIT_ARCH_CONVENTION_MIPS64_N32, whose ABI libseccomp
 * treats as 32-bit. x32 is the exception: its syscalls arrive as AUDIT_ARCH_X86_64 with bit 30
 * (__X32_SYSCALL_BIT) set in the number, which libseccomp's syscall numbers for x32 already carry.
 */
record CoveredAbi(Architecture architecture, int token, int auditArch, ByteOrder order, boolean bits32) {
    /** __X32_SYSCALL_BIT (arch/x86/include/uapi/asm/unistd.h). */
    static final int X32_SYSCALL_BIT = 0x4000_0000;
    private static final int AUDIT_ARCH_64BIT = 0x8000_0000;
    private static final int AUDIT_ARCH_LE = 0x4000_0000;
    private static final int AUDIT_ARCH_CONVENTION_MIPS64_N32 = 0x2000_0000;

    static CoveredAbi of(LibSeccomp lib, Architecture architecture) {
        int token = Architectures.token(lib, architecture);
        boolean x32 = architecture == Architecture.SCMP_ARCH_X32;
        int auditArch = x32 ? Architectures.token(lib, Architecture.SCMP_ARCH_X86_64) : token;
        ByteOrder order = (token & AUDIT_ARCH_LE) != 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        boolean bits32 = x32 || (token & AUDIT_ARCH_64BIT) == 0 || (token & AUDIT_ARCH_CONVENTION_MIPS64_N32) != 0;
        return new CoveredAbi(architecture, token, auditArch, order, bits32);
    }

    boolean isX32() {
        return architecture == Architecture.SCMP_ARCH_X32;
    }
}
