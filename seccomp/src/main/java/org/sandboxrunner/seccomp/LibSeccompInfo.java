package org.sandboxrunner.seccomp;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * The libseccomp a filter is compiled with: its version, the API level seccomp_api_get() detects on
 * the running kernel (absent before libseccomp 2.4, which lacks the function), and whether it has
 * {@code seccomp_export_bpf_mem} (2.6+). This module exports through a memfd either way, so one export
 * path serves every version; the probe is reported so the audit log shows what produced a filter.
 */
public record LibSeccompInfo(String version, OptionalInt apiLevel, boolean exportBpfMem) {
    static final String EXPORT_BPF_MEM = "seccomp_export_bpf_mem";
    /** seccomp.h: API level 5 adds SCMP_ACT_NOTIFY and the user-notification API. */
    static final int NOTIFY_API_LEVEL = 5;

    public LibSeccompInfo {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(apiLevel, "apiLevel");
    }

    /** Whether libseccomp found the kernel's seccomp user notification (SCMP_ACT_NOTIFY, listeners). */
    public boolean userNotification() {
        return apiLevel.orElse(0) >= NOTIFY_API_LEVEL;
    }

    @Override
    public String toString() {
        return "libseccomp " + version + " (API level " + (apiLevel.isPresent() ? apiLevel.getAsInt() : "unknown")
                + ", " + EXPORT_BPF_MEM + " " + (exportBpfMem ? "present" : "absent") + ")";
    }
}
