package org.sandboxrunner.policy;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** Argument checks shared by the profile records' compact constructors; messages name the field. */
final class Checks {
    private Checks() {}

    static <T> T required(T value, String field) {
        return Objects.requireNonNull(value, () -> field + " is required");
    }

    static long positive(long value, String field) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
        return value;
    }

    static long nonNegative(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative, got " + value);
        }
        return value;
    }

    static String absolutePath(String path, String field) {
        required(path, field);
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException(field + " must be an absolute path, got '" + path + "'");
        }
        return path;
    }

    /** Copies a list, refusing null elements (List.copyOf already does) and a null list. */
    static <T> List<T> list(Collection<T> values, String field) {
        return List.copyOf(required(values, field));
    }
}
