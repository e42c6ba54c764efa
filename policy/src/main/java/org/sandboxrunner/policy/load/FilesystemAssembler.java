package org.sandboxrunner.policy.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.sandboxrunner.policy.ByteSizes;
import org.sandboxrunner.policy.FilesystemSpec;
import org.sandboxrunner.policy.MountSpec;
import org.sandboxrunner.policy.wire.Describe;
import org.sandboxrunner.policy.wire.ProfileDocument;

/** Validates {@code filesystem} and {@code mounts} and builds the {@link FilesystemSpec}. */
final class FilesystemAssembler {

    /** The sandbox makes these itself; nothing of the profile's may land on or inside them. */
    static final List<String> RESERVED = List.of("/proc", "/dev", "/tmp");

    private static final List<String> MOUNT_TYPES = List.of("bind", "tmpfs");
    private static final Set<String> BIND_OPTIONS = Set.of("bind", "rbind", "ro", "rw", "nosuid", "nodev", "noexec");
    private static final Set<String> TMPFS_FLAGS = Set.of("ro", "rw", "nosuid", "nodev", "noexec");
    private static final Pattern TMPFS_VALUE = Pattern.compile("(size=[0-9]+[KkMmGg]?|mode=[0-7]{3,4}|nr_inodes=[0-9]+[KkMmGg]?)");

    private FilesystemAssembler() {}

    static FilesystemSpec assemble(ProfileDocument.Filesystem fs, List<ProfileDocument.Mount> mounts, Problems problems) {
        String path = "filesystem";
        if (!FieldChecks.present(fs, path, "a mapping", problems)) {
            return null;
        }
        int before = problems.count();
        List<String> hostReadOnly = LinuxAssembler.paths(fs.hostReadOnly(), path + ".hostReadOnly", problems);
        for (int i = 0; i < hostReadOnly.size(); i++) {
            if (hostReadOnly.get(i).equals("/")) {
                problems.add(DocPaths.index(path + ".hostReadOnly", i), "'/' would show the whole host; list the"
                        + " directories the sandbox needs, such as /usr and /etc");
            }
            reserved(hostReadOnly.get(i), DocPaths.index(path + ".hostReadOnly", i), problems);
        }
        if (FieldChecks.absolutePath(fs.box(), path + ".box", problems)) {
            if (fs.box().equals("/")) {
                problems.add(path + ".box", "must not be '/'");
            }
            reserved(fs.box(), path + ".box", problems);
            for (String host : hostReadOnly) {
                if (FieldChecks.under(fs.box(), host) && !host.equals("/")) {
                    problems.add(path + ".box", fs.box() + " lies inside the read-only host path " + host
                            + "; choose a directory outside it, such as /box");
                }
            }
        }
        if (FieldChecks.present(fs.tmpSize(), path + ".tmpSize", "the size of /tmp, such as 64M", problems)
                && fs.tmpSize().bytes() < 1) {
            problems.add(path + ".tmpSize", "must be positive, got " + fs.tmpSize().bytes());
        }
        List<MountSpec> mountSpecs = mounts(FieldChecks.orEmpty(mounts), problems);
        if (problems.count() > before) {
            return null;
        }
        return new FilesystemSpec(hostReadOnly, fs.box(), fs.tmpSize().bytes(), mountSpecs);
    }

    private static void reserved(String value, String path, Problems problems) {
        for (String reserved : RESERVED) {
            if (FieldChecks.under(value, reserved)) {
                problems.add(path, value + " is inside " + reserved + ", which the sandbox creates itself");
            }
        }
    }

    private static List<MountSpec> mounts(List<ProfileDocument.Mount> mounts, Problems problems) {
        List<MountSpec> result = new ArrayList<>();
        for (int i = 0; i < mounts.size(); i++) {
            ProfileDocument.Mount m = mounts.get(i);
            String at = DocPaths.index("mounts", i);
            int before = problems.count();
            if (FieldChecks.absolutePath(m.destination(), at + ".destination", problems)) {
                if (m.destination().equals("/")) {
                    problems.add(at + ".destination", "must not be '/'");
                }
                reserved(m.destination(), at + ".destination", problems);
            }
            FieldChecks.oneOf(m.type(), MOUNT_TYPES, at + ".type", "mount type", problems);
            List<String> options = FieldChecks.orEmpty(m.options());
            String source = m.source();
            if ("bind".equals(m.type())) {
                FieldChecks.absolutePath(source, at + ".source", problems);
                bindOptions(options, at + ".options", problems);
            } else if ("tmpfs".equals(m.type())) {
                source = source == null ? "tmpfs" : source;
                tmpfsOptions(options, at + ".options", problems);
            }
            FieldChecks.unique(options, o -> o, at + ".options", "option", problems);
            if (problems.count() == before) {
                result.add(new MountSpec(m.destination(), m.type(), source, options));
            }
        }
        FieldChecks.unique(mounts, ProfileDocument.Mount::destination, "mounts", "destination", problems);
        return result;
    }

    private static void bindOptions(List<String> options, String path, Problems problems) {
        for (int i = 0; i < options.size(); i++) {
            if (!BIND_OPTIONS.contains(options.get(i))) {
                problems.add(DocPaths.index(path, i), "unknown bind option " + Describe.quote(options.get(i))
                        + "; valid: " + String.join(", ", sorted(BIND_OPTIONS)));
            }
        }
        // A bind is read-write unless told otherwise; the profile must say which, so nothing is
        // writable by omission.
        if (options.contains("ro") == options.contains("rw")) {
            problems.add(path, "a bind mount must say exactly one of 'ro' or 'rw'");
        }
    }

    private static void tmpfsOptions(List<String> options, String path, Problems problems) {
        for (int i = 0; i < options.size(); i++) {
            String option = options.get(i);
            if (TMPFS_FLAGS.contains(option)) {
                continue;
            }
            if (!TMPFS_VALUE.matcher(option).matches()) {
                problems.add(DocPaths.index(path, i), "unknown tmpfs option " + Describe.quote(option) + "; valid: "
                        + String.join(", ", sorted(TMPFS_FLAGS)) + ", size=SIZE, mode=OCTAL, nr_inodes=N");
            } else if (option.startsWith("size=")) {
                try {
                    if (ByteSizes.parse(option.substring(5)) < 1) {
                        problems.add(DocPaths.index(path, i), "size must be positive");
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(DocPaths.index(path, i), e.getMessage());
                }
            }
        }
        if (options.stream().noneMatch(o -> o.startsWith("size="))) {
            problems.add(path, "a tmpfs mount needs size=SIZE: without it the kernel allows half of the host's memory");
        }
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
