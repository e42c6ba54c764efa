package org.sandboxrunner.seccomp;

import java.util.Arrays;

/** {@link Architecture}s to libseccomp tokens and back, through libseccomp itself. */
final class Architectures {
    private Architectures() {}

    static int token(LibSeccomp lib, Architecture architecture) {
        return lib.archToken(architecture.libseccompName()).orElseThrow(() -> new SeccompException(
                architecture + " is not supported by libseccomp " + lib.version()
                        + " (seccomp_arch_resolve_name(\"" + architecture.libseccompName() + "\") returned 0)"));
    }

    static Architecture nativeOf(LibSeccomp lib) {
        int nativeToken = lib.nativeArchToken();
        return Arrays.stream(Architecture.values())
                .filter(a -> lib.archToken(a.libseccompName()).orElse(0) == nativeToken)
                .findFirst()
                .orElseThrow(() -> new SeccompException("libseccomp's native architecture (token 0x"
                        + Integer.toHexString(nativeToken) + ") is not one this runner supports: " + Architecture.known()));
    }
}
