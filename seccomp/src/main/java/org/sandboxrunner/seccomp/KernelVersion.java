package org.sandboxrunner.seccomp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kernel's version as Docker's {@code minKernel} compares it: the version and major revision
 * ("6.1" of "6.1.0-18-amd64"); patch levels and distribution suffixes do not count.
 */
public record KernelVersion(int major, int minor) implements Comparable<KernelVersion> {
    private static final Pattern RELEASE = Pattern.compile("(\\d{1,9})\\.(\\d{1,9})(?:[^0-9].*)?", Pattern.DOTALL);
    private static final Path OSRELEASE = Path.of("sys/kernel/osrelease");

    public KernelVersion {
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("kernel version parts must not be negative, got " + major + "." + minor);
        }
    }

    /** Parses a kernel release string such as "6.18.44-fc-v782" or "3.12-1-amd64". */
    public static KernelVersion parse(String release) {
        Matcher matcher = RELEASE.matcher(release.strip());
        if (!matcher.matches()) {
            throw new SeccompException("kernel release '" + release.strip() + "' does not start with <version>.<major>");
        }
        return new KernelVersion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
    }

    /** The running kernel's version, from /proc/sys/kernel/osrelease. */
    public static KernelVersion running() {
        return read(Path.of("/proc"));
    }

    /** Reads {@code sys/kernel/osrelease} under a proc root (a fixture directory in tests). */
    public static KernelVersion read(Path procRoot) {
        Path file = procRoot.resolve(OSRELEASE);
        try {
            return parse(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Override
    public int compareTo(KernelVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
