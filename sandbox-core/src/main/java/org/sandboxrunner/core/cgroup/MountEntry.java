package org.sandboxrunner.core.cgroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One line of {@code /proc/self/mountinfo} (proc(5)), the fields cgroup detection needs.
 *
 * @param root         the directory of the mounted filesystem shown at the mount point (for a
 *                     cgroup mount: the cgroup path, "/" unless a subtree is bind-mounted)
 * @param mountPoint   where it is mounted
 * @param fsType       "cgroup" (v1) or "cgroup2" among others
 * @param superOptions per-superblock options; a v1 cgroup mount lists its controllers there
 */
record MountEntry(String root, String mountPoint, String fsType, List<String> superOptions) {

    MountEntry {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(mountPoint, "mountPoint");
        Objects.requireNonNull(fsType, "fsType");
        superOptions = List.copyOf(superOptions);
    }

    /** Parses mountinfo text; a malformed line is an error naming its number. */
    static List<MountEntry> parseAll(String text) throws CgroupException {
        List<MountEntry> entries = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                entries.add(parse(lines[i], i + 1));
            }
        }
        return entries;
    }

    // "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue": six fixed
    // fields, optional fields up to the lone "-", then fstype, source and super options.
    private static MountEntry parse(String line, int number) throws CgroupException {
        String[] fields = line.strip().split(" ");
        int dash = -1;
        for (int i = 6; i < fields.length; i++) {
            if (fields[i].equals("-")) {
                dash = i;
                break;
            }
        }
        if (fields.length < 7 || dash < 0 || fields.length < dash + 4) {
            throw new CgroupException("/proc/self/mountinfo line " + number + " is malformed: '" + line + "'");
        }
        return new MountEntry(unescape(fields[3]), unescape(fields[4]), fields[dash + 1],
                List.of(fields[dash + 3].split(",")));
    }

    /** The kernel writes space, tab, newline and backslash in paths as octal escapes (\040 ...). */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
