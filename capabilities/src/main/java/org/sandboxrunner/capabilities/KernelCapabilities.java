package org.sandboxrunner.capabilities;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the running kernel supports: capabilities 0 to {@link #lastCap()}, as
 * {@code /proc/sys/kernel/cap_last_cap} reports (a kernel refuses {@code capset},
 * {@code PR_CAPBSET_DROP} and {@code PR_CAP_AMBIENT} for numbers above it). {@link #parse(String)}
 * reads the file's text; {@link #read()} acquires it from the running kernel.
 */
public record KernelCapabilities(int lastCap) {
    public static final Path CAP_LAST_CAP = Path.of("/proc/sys/kernel/cap_last_cap");
    private static final int MAX_TEXT = 64;

    /** @param lastCap the highest capability number the kernel knows, 0 to 63 */
    public KernelCapabilities {
        if (lastCap < 0 || lastCap > 63) {
            throw new CapabilityException("last capability " + lastCap + " is outside 0..63, the bits of a kernel capability set");
        }
    }

    /** Parses the text of {@code /proc/sys/kernel/cap_last_cap}: a decimal number and a newline. */
    public static KernelCapabilities parse(String text) {
        String number = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (!number.matches("[0-9]{1,2}")) {
            throw new CapabilityException(CAP_LAST_CAP + " holds \"" + text.strip()
                    + "\", expected the kernel's last capability number, e.g. 40");
        }
        return new KernelCapabilities(Integer.parseInt(number));
    }

    /** Reads the running kernel's last capability from {@code /proc/sys/kernel/cap_last_cap}. */
    public static KernelCapabilities read() throws IOException {
        // A sysctl integer file answers only a read at offset 0 (proc_dointvec gives EOF after it),
        // and Files.readString, seeing size 0, would read a single byte first: read it whole, once.
        try (InputStream in = Files.newInputStream(CAP_LAST_CAP)) {
            return parse(new String(in.readNBytes(MAX_TEXT), StandardCharsets.US_ASCII));
        }
    }

    /** Every capability this kernel supports: 0 to {@link #lastCap()}. What libcap's "all" means. */
    public CapabilitySet all() {
        return CapabilitySet.upTo(lastCap);
    }

    public boolean supports(int number) {
        return number >= 0 && number <= lastCap;
    }

    /**
     * @return {@code capability}, when this kernel supports it
     * @throws CapabilityException "CAP_X (41) is not supported by this kernel, whose last capability is 40"
     */
    public Capability require(Capability capability) {
        requireNumber(capability.number());
        return capability;
    }

    /** @throws CapabilityException when this kernel does not support capability {@code number} */
    public int requireNumber(int number) {
        if (!supports(number)) {
            throw new CapabilityException(describe(number) + " is not supported by this kernel, whose last capability is " + lastCap);
        }
        return number;
    }

    /**
     * @param what the set's name for the message, e.g. "bounding"
     * @throws CapabilityException naming {@code what} and every capability in the set above the last cap
     */
    public CapabilitySet requireSupported(CapabilitySet set, String what) {
        CapabilitySet unsupported = set.minus(all());
        if (!unsupported.isEmpty()) {
            List<String> names = unsupported.numbers().stream().map(KernelCapabilities::describe).toList();
            throw new CapabilityException(what + ": " + String.join(", ", names)
                    + (names.size() == 1 ? " is" : " are") + " not supported by this kernel, whose last capability is " + lastCap);
        }
        return set;
    }

    /** "CAP_BPF (39)" for a named capability, "capability 45" otherwise. */
    private static String describe(int number) {
        return Capability.fromNumber(number).map(c -> c.ociName() + " (" + number + ")").orElse("capability " + number);
    }
}
