package org.sandboxrunner.core.launch;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One line of /proc/self/mountinfo as the sandbox saw it (proc(5)): where, which file system, and
 * the per-mount options ({@code ro}, {@code nosuid}, {@code nodev}, {@code noexec}, atime options).
 *
 * @param mountPoint the path, with the kernel's octal escapes ({@code \040} for a space) decoded
 */
public record MountRow(String mountPoint, String fsType, List<String> options) {

    public MountRow {
        options = List.copyOf(options);
        if (!mountPoint.startsWith("/")) {
            throw new IllegalArgumentException("a mount point is absolute: " + mountPoint);
        }
    }

    /** From the native stage's words: the escaped mount point, the comma-separated options, the type. */
    static MountRow parse(String escapedMountPoint, String options, String fsType) {
        return new MountRow(unescape(escapedMountPoint), fsType, List.of(options.split(",")));
    }

    /** The mount's {@link MountOp.Flag}s among ro, nosuid, nodev and noexec. */
    public Set<MountOp.Flag> flags() {
        EnumSet<MountOp.Flag> set = EnumSet.noneOf(MountOp.Flag.class);
        for (String o : options) {
            switch (o) {
                case "ro" -> set.add(MountOp.Flag.RDONLY);
                case "nosuid" -> set.add(MountOp.Flag.NOSUID);
                case "nodev" -> set.add(MountOp.Flag.NODEV);
                case "noexec" -> set.add(MountOp.Flag.NOEXEC);
                default -> { }
            }
        }
        return set;
    }

    /** fs/proc_namespace.c escapes space, tab, newline and backslash as three octal digits. */
    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
