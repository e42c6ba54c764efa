package org.sandboxrunner.policy.load;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import org.sandboxrunner.policy.wire.Describe;

/** Checks shared by the section assemblers; each reports to {@link Problems} and never throws. */
final class FieldChecks {

    /** The largest valid uid or gid: (uid_t)-1 is never a valid id (user_namespaces(7)). */
    static final long MAX_ID = 0xFFFF_FFFEL;

    private FieldChecks() {}

    static <T> boolean present(T value, String path, String what, Problems problems) {
        if (value == null) {
            problems.add(path, "required: " + what);
            return false;
        }
        return true;
    }

    /**
     * An absolute path written in normal form, so that two spellings of one place cannot slip past
     * duplicate and overlap checks ({@code /usr/}, {@code /usr/./lib}, {@code //usr}).
     */
    static boolean absolutePath(String value, String path, Problems problems) {
        if (value == null) {
            problems.add(path, "required: an absolute path");
            return false;
        }
        if (!value.startsWith("/")) {
            problems.add(path, "must be an absolute path (starting with '/'), got " + Describe.quote(value));
            return false;
        }
        String normal;
        try {
            normal = Path.of(value).normalize().toString();
        } catch (InvalidPathException e) {
            problems.add(path, "is not a valid path: " + Describe.quote(value));
            return false;
        }
        if (!normal.equals(value)) {
            problems.add(path, "must be a normalized absolute path (no '.', '..', '//' or trailing '/'), got "
                    + Describe.quote(value));
            return false;
        }
        return true;
    }

    /** Whether a normalized absolute file path is {@code dir} or lies inside it. */
    static boolean under(String file, String dir) {
        return file.equals(dir) || file.startsWith(dir.endsWith("/") ? dir : dir + "/");
    }

    static boolean id(Long value, String path, Problems problems) {
        if (value == null) {
            problems.add(path, "required: an id between 0 and " + MAX_ID);
            return false;
        }
        if (value < 0 || value > MAX_ID) {
            problems.add(path, "must be an id between 0 and " + MAX_ID + ", got " + value);
            return false;
        }
        return true;
    }

    static boolean inRange(Long value, long min, long max, String path, Problems problems) {
        if (value != null && (value < min || value > max)) {
            problems.add(path, "must be between " + min + " and " + max + ", got " + value);
            return false;
        }
        return true;
    }

    /** Reports every item after the first with the same key, pointing at the first. */
    static <T, K> boolean unique(List<T> items, Function<T, K> key, String listPath, String what, Problems problems) {
        Map<K, Integer> first = new HashMap<>();
        boolean unique = true;
        for (int i = 0; i < items.size(); i++) {
            K k = key.apply(items.get(i));
            if (k == null) {
                continue;
            }
            Integer earlier = first.putIfAbsent(k, i);
            if (earlier != null) {
                problems.add(DocPaths.index(listPath, i), what + " " + Describe.quote(String.valueOf(k))
                        + " is already given by " + DocPaths.index(listPath, earlier));
                unique = false;
            }
        }
        return unique;
    }

    /** A value from a closed set of names; the message lists them. */
    static boolean oneOf(String value, Collection<String> valid, String path, String what, Problems problems) {
        if (value == null) {
            problems.add(path, "required: " + what + "; valid: " + String.join(", ", valid));
            return false;
        }
        if (!valid.contains(value)) {
            problems.add(path, "unknown " + what + " " + Describe.quote(value) + "; valid: " + String.join(", ", valid));
            return false;
        }
        return true;
    }

    static OptionalLong optional(Long value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
