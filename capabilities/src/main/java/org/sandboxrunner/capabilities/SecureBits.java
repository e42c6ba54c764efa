package org.sandboxrunner.capabilities;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An immutable securebits value: the mask {@code PR_SET_SECUREBITS} takes and
 * {@code PR_GET_SECUREBITS} returns. Only the eight bits of {@link SecureBit} exist; the kernel
 * refuses others ({@code SECURE_ALL_BITS | SECURE_ALL_LOCKS} in securebits.h).
 */
public record SecureBits(int mask) {
    private static final int ALL = 0xff;

    public static final SecureBits NONE = new SecureBits(0);

    public SecureBits {
        if ((mask & ~ALL) != 0) {
            throw new CapabilityException(String.format(Locale.ROOT,
                    "securebits 0x%x has bits the kernel does not define (only 0x%x)", mask, ALL));
        }
    }

    public static SecureBits of(SecureBit... flags) {
        int mask = 0;
        for (SecureBit flag : flags) {
            mask |= flag.mask();
        }
        return new SecureBits(mask);
    }

    /**
     * The value a profile's list of names gives, e.g. {@code ["keep_caps", "noroot_locked"]}.
     *
     * @param where where the list is, for messages, e.g. "process.securebits"
     * @throws CapabilityException naming the entry's index for an unknown or repeated name
     */
    public static SecureBits parse(List<String> names, String where) {
        return new SecureBits((int) NameLists.combine(names, where, name -> SecureBit.fromName(name).mask()));
    }

    public boolean contains(SecureBit flag) {
        return (mask & flag.mask()) != 0;
    }

    public SecureBits without(SecureBit flag) {
        return new SecureBits(mask & ~flag.mask());
    }

    /** The flags that are set, by bit number. */
    public List<SecureBit> flags() {
        List<SecureBit> flags = new ArrayList<>();
        for (SecureBit flag : SecureBit.values()) {
            if (contains(flag)) {
                flags.add(flag);
            }
        }
        return List.copyOf(flags);
    }

    /** The profile names of the flags that are set, by bit number, e.g. {@code [keep_caps]}. */
    public List<String> names() {
        return flags().stream().map(SecureBit::profileName).toList();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "0x%02x %s", mask, names());
    }
}
