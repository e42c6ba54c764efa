package org.sandboxrunner.seccomp;

/** {@code enum scmp_filter_attr} values from seccomp.h that this module sets and reads back. */
enum FilterAttribute {
    SCMP_FLTATR_ACT_DEFAULT(1),
    SCMP_FLTATR_ACT_BADARCH(2),
    SCMP_FLTATR_CTL_NNP(3),
    SCMP_FLTATR_CTL_LOG(6),
    SCMP_FLTATR_CTL_SSB(7),
    SCMP_FLTATR_CTL_OPTIMIZE(8),
    /** Added in libseccomp 2.6; 2.5 answers EINVAL, which is how its absence shows. */
    SCMP_FLTATR_CTL_WAITKILL(10);

    private final int value;

    FilterAttribute(int value) {
        this.value = value;
    }

    int value() {
        return value;
    }
}
