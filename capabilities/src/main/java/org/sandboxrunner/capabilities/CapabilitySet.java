package org.sandboxrunner.capabilities;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An immutable set of capabilities as the kernel stores it: a 64-bit bitmap, bit N for capability
 * number N (the two 32-bit words of {@code struct __user_cap_data_struct}, low word first, joined).
 * Any of the 64 bits may be set; whether the running kernel knows them is checked by
 * {@link KernelCapabilities#requireSupported(CapabilitySet, String)}.
 */
public record CapabilitySet(long bits) {
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{16}");

    public static final CapabilitySet EMPTY = new CapabilitySet(0L);

    /**
     * The 14 capabilities Docker (moby, {@code oci/caps/defaults.go}) keeps in a container by
     * default: the customary bounding set for a root-in-container workload. Not what this runner
     * grants by default ({@link CapabilityState#none()} is); here so a profile can name it.
     */
    public static final CapabilitySet DOCKER_DEFAULT = of(
            Capability.CAP_CHOWN, Capability.CAP_DAC_OVERRIDE, Capability.CAP_FSETID,
            Capability.CAP_FOWNER, Capability.CAP_MKNOD, Capability.CAP_NET_RAW,
            Capability.CAP_SETGID, Capability.CAP_SETUID, Capability.CAP_SETFCAP,
            Capability.CAP_SETPCAP, Capability.CAP_NET_BIND_SERVICE, Capability.CAP_SYS_CHROOT,
            Capability.CAP_KILL, Capability.CAP_AUDIT_WRITE);

    public static CapabilitySet of(Capability... capabilities) {
        return of(List.of(capabilities));
    }

    public static CapabilitySet of(Collection<Capability> capabilities) {
        long bits = 0;
        for (Capability capability : capabilities) {
            bits |= capability.mask();
        }
        return new CapabilitySet(bits);
    }

    /** The set of the given capability numbers, each 0 to 63. */
    public static CapabilitySet ofNumbers(int... numbers) {
        long bits = 0;
        for (int number : numbers) {
            bits |= bit(number);
        }
        return new CapabilitySet(bits);
    }

    /** Capabilities 0 to {@code lastNumber} inclusive. */
    static CapabilitySet upTo(int lastNumber) {
        return new CapabilitySet(lastNumber == 63 ? -1L : (1L << (lastNumber + 1)) - 1);
    }

    /**
     * Reads a bitmap as {@code /proc/PID/status} prints it ({@code CapEff:\t000001fffeffffff}):
     * exactly 16 hex digits.
     */
    public static CapabilitySet parseHex(String hex) {
        if (!HEX.matcher(hex).matches()) {
            throw new CapabilityException("\"" + hex + "\" is not a capability bitmap: expected 16 hex digits"
                    + " as /proc/PID/status shows them, e.g. 000001ffffffffff");
        }
        return new CapabilitySet(Long.parseUnsignedLong(hex, 16));
    }

    /** 16 lower-case hex digits, zero-padded, as {@code /proc/PID/status} prints a set. */
    public String toHex() {
        return String.format(Locale.ROOT, "%016x", bits);
    }

    public boolean contains(Capability capability) {
        return containsNumber(capability.number());
    }

    public boolean containsNumber(int number) {
        return (bits & bit(number)) != 0;
    }

    public CapabilitySet union(CapabilitySet other) {
        return new CapabilitySet(bits | other.bits);
    }

    public CapabilitySet intersect(CapabilitySet other) {
        return new CapabilitySet(bits & other.bits);
    }

    /** The capabilities in this set and not in {@code other}. */
    public CapabilitySet minus(CapabilitySet other) {
        return new CapabilitySet(bits & ~other.bits);
    }

    public boolean isSubsetOf(CapabilitySet other) {
        return (bits & ~other.bits) == 0;
    }

    public boolean isEmpty() {
        return bits == 0;
    }

    public int size() {
        return Long.bitCount(bits);
    }

    /** The capability numbers in this set, ascending. */
    public List<Integer> numbers() {
        List<Integer> numbers = new ArrayList<>(size());
        for (long rest = bits; rest != 0; rest &= rest - 1) {
            numbers.add(Long.numberOfTrailingZeros(rest));
        }
        return List.copyOf(numbers);
    }

    /**
     * The OCI names ({@code CAP_KILL}) of the capabilities in this set, by ascending number; a bit
     * this enum does not name (a kernel newer than {@code CAP_CHECKPOINT_RESTORE}) appears as its
     * decimal number, as libcap writes it.
     */
    public List<String> names() {
        return numbers().stream().map(Capability::describe).toList();
    }

    @Override
    public String toString() {
        return toHex() + " " + names();
    }

    private static long bit(int number) {
        if (number < 0 || number > 63) {
            throw new CapabilityException("capability number " + number + " is outside 0..63, the bits of a kernel capability set");
        }
        return 1L << number;
    }
}
