package org.sandboxrunner.capabilities;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The securebits flags of {@code include/uapi/linux/securebits.h}, each with its bit number
 * ({@code SECURE_*}); a flag's mask is {@code 1 << bit} ({@code SECBIT_*}). Each setting has a
 * {@code _LOCKED} twin one bit above it that makes the setting immutable, even for a process with
 * {@code CAP_SETPCAP} (capabilities(7), "The securebits flags").
 */
public enum SecureBit {
    /** uid 0 gets no capabilities at execve, and set-user-ID-root programs none either. */
    NOROOT(0),
    NOROOT_LOCKED(1),
    /** uid transitions to and from 0 leave the capability sets alone (no "setuid fixup"). */
    NO_SETUID_FIXUP(2),
    NO_SETUID_FIXUP_LOCKED(3),
    /** A switch from uid 0 to nonzero keeps the permitted set; cleared by every execve. */
    KEEP_CAPS(4),
    KEEP_CAPS_LOCKED(5),
    /** {@code PR_CAP_AMBIENT_RAISE} is refused: no capability can be added to the ambient set. */
    NO_CAP_AMBIENT_RAISE(6),
    NO_CAP_AMBIENT_RAISE_LOCKED(7);

    private static final String MACRO_PREFIX = "SECBIT_";
    private static final List<String> PROFILE_NAMES =
            Arrays.stream(values()).map(SecureBit::profileName).toList();

    private final int bit;

    SecureBit(int bit) {
        this.bit = bit;
    }

    /** The bit number ({@code SECURE_KEEP_CAPS} = 4). */
    public int bit() {
        return bit;
    }

    /** The flag's mask ({@code SECBIT_KEEP_CAPS} = 0x10), as {@code PR_GET_SECUREBITS} returns it. */
    public int mask() {
        return 1 << bit;
    }

    /** The name a profile uses: lower case, e.g. {@code keep_caps}, {@code noroot_locked}. */
    public String profileName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The flag with this name, in any case, with or without the kernel macro's {@code SECBIT_}
     * prefix: {@code keep_caps}, {@code KEEP_CAPS}, {@code SECBIT_KEEP_CAPS}.
     *
     * @throws CapabilityException naming the name and the closest valid ones
     */
    public static SecureBit fromName(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        String bare = upper.startsWith(MACRO_PREFIX) ? upper.substring(MACRO_PREFIX.length()) : upper;
        for (SecureBit flag : values()) {
            if (flag.name().equals(bare)) {
                return flag;
            }
        }
        String hint = Suggestions.hint(bare.toLowerCase(Locale.ROOT), PROFILE_NAMES);
        throw new CapabilityException("unknown securebit \"" + name + "\""
                + (hint.isEmpty() ? "; valid: " + String.join(", ", PROFILE_NAMES) : hint));
    }
}
