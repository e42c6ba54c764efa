package org.sandboxrunner.capabilities;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every capability the kernel headers define today ({@code include/uapi/linux/capability.h}, up to
 * {@code CAP_LAST_CAP} = {@code CAP_CHECKPOINT_RESTORE} = 40), with its number. Constants are
 * declared in number order, so a constant's ordinal is its number.
 *
 * <p>Names are accepted in any case ({@code CAP_NET_ADMIN}, {@code cap_net_admin}); the canonical
 * renderings are upper case in OCI lists ({@link #ociName()}) and lower case in libcap/capsh text
 * ({@link #textName()}). Whether the running kernel knows a capability is a separate question,
 * answered by {@link KernelCapabilities}.
 */
public enum Capability {
    CAP_CHOWN,
    CAP_DAC_OVERRIDE,
    CAP_DAC_READ_SEARCH,
    CAP_FOWNER,
    CAP_FSETID,
    CAP_KILL,
    CAP_SETGID,
    CAP_SETUID,
    CAP_SETPCAP,
    CAP_LINUX_IMMUTABLE,
    CAP_NET_BIND_SERVICE,
    CAP_NET_BROADCAST,
    CAP_NET_ADMIN,
    CAP_NET_RAW,
    CAP_IPC_LOCK,
    CAP_IPC_OWNER,
    CAP_SYS_MODULE,
    CAP_SYS_RAWIO,
    CAP_SYS_CHROOT,
    CAP_SYS_PTRACE,
    CAP_SYS_PACCT,
    CAP_SYS_ADMIN,
    CAP_SYS_BOOT,
    CAP_SYS_NICE,
    CAP_SYS_RESOURCE,
    CAP_SYS_TIME,
    CAP_SYS_TTY_CONFIG,
    CAP_MKNOD,
    CAP_LEASE,
    CAP_AUDIT_WRITE,
    CAP_AUDIT_CONTROL,
    CAP_SETFCAP,
    CAP_MAC_OVERRIDE,
    CAP_MAC_ADMIN,
    CAP_SYSLOG,
    CAP_WAKE_ALARM,
    CAP_BLOCK_SUSPEND,
    CAP_AUDIT_READ,
    CAP_PERFMON,
    CAP_BPF,
    CAP_CHECKPOINT_RESTORE;

    private static final String PREFIX = "CAP_";
    private static final Capability[] BY_NUMBER = values();
    private static final List<String> OCI_NAMES =
            Arrays.stream(BY_NUMBER).map(Capability::ociName).toList();

    /** The highest capability number this enum names (40, {@code CAP_CHECKPOINT_RESTORE}). */
    public static final int LAST_NAMED = BY_NUMBER.length - 1;

    /** The capability's number: its bit in the kernel's 64-bit capability sets. */
    public int number() {
        return ordinal();
    }

    /** The bit of this capability in a 64-bit set. */
    public long mask() {
        return 1L << ordinal();
    }

    /** Upper case with the {@code CAP_} prefix, as OCI {@code process.capabilities} lists spell it. */
    public String ociName() {
        return name();
    }

    /** Lower case with the {@code cap_} prefix, as libcap's text form (capsh, getpcaps) spells it. */
    public String textName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The capability with this number, if this enum names one (numbers 0 to {@link #LAST_NAMED}). */
    public static Optional<Capability> fromNumber(int number) {
        return number >= 0 && number < BY_NUMBER.length ? Optional.of(BY_NUMBER[number]) : Optional.empty();
    }

    /**
     * The capability with this name, in any case, with its {@code CAP_} prefix.
     *
     * @throws CapabilityException naming the name and the closest valid names
     */
    public static Capability fromName(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (upper.startsWith(PREFIX)) {
            for (Capability capability : BY_NUMBER) {
                if (capability.name().equals(upper)) {
                    return capability;
                }
            }
        }
        String probe = upper.startsWith(PREFIX) ? upper : PREFIX + upper;
        String hint = Suggestions.hint(probe, OCI_NAMES);
        throw new CapabilityException("unknown capability \"" + name + "\""
                + (hint.isEmpty() ? "; capabilities(7) lists the valid names" : hint));
    }

    /** "CAP_KILL" for a named capability number, the decimal number (as libcap writes it) otherwise. */
    static String describe(int number) {
        return fromNumber(number).map(Capability::ociName).orElse(Integer.toString(number));
    }
}
