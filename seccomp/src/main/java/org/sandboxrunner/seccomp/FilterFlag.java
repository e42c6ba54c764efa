package org.sandboxrunner.seccomp;

import java.util.Arrays;
import java.util.Optional;

/**
 * OCI {@code linux.seccomp.flags}. The kernel takes these as flags of seccomp(SECCOMP_SET_MODE_FILTER)
 * (include/uapi/linux/seccomp.h), not inside the BPF program, so they reach the native stage through
 * {@link CompiledFilter#loadFlags()}; the matching libseccomp attribute is still set, because
 * libseccomp then checks that the library and the running kernel support the flag.
 */
enum FilterFlag {
    /**
     * Accepted and dropped, as runc does: the native stage is single-threaded when it loads the filter,
     * so there are no other threads to synchronise.
     */
    SECCOMP_FILTER_FLAG_TSYNC(0, null),
    SECCOMP_FILTER_FLAG_LOG(1 << 1, FilterAttribute.SCMP_FLTATR_CTL_LOG),
    SECCOMP_FILTER_FLAG_SPEC_ALLOW(1 << 2, FilterAttribute.SCMP_FLTATR_CTL_SSB),
    /** Only valid together with NEW_LISTENER, i.e. with a SCMP_ACT_NOTIFY rule (kernel seccomp.c). */
    SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV(1 << 5, FilterAttribute.SCMP_FLTATR_CTL_WAITKILL);

    /** Not an OCI flag: set whenever the filter has a SCMP_ACT_NOTIFY rule, so the kernel returns a listener fd. */
    static final int NEW_LISTENER = 1 << 3;

    private final int kernelBit;
    private final FilterAttribute attribute;

    FilterFlag(int kernelBit, FilterAttribute attribute) {
        this.kernelBit = kernelBit;
        this.attribute = attribute;
    }

    int kernelBit() {
        return kernelBit;
    }

    Optional<FilterAttribute> attribute() {
        return Optional.ofNullable(attribute);
    }

    static Optional<FilterFlag> fromOciName(String name) {
        return Arrays.stream(values()).filter(f -> f.name().equals(name)).findFirst();
    }
}
