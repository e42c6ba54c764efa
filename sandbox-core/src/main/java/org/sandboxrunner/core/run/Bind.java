package org.sandboxrunner.core.run;

import java.nio.file.Path;

/**
 * An extra bind mount asked for by the caller ({@code --bind SRC:DST[:ro|rw]}).
 *
 * @param source   an absolute host path
 * @param target   an absolute path inside the sandbox
 */
public record Bind(Path source, String target, boolean readOnly) {

    public Bind {
        if (!source.isAbsolute()) {
            throw new IllegalArgumentException("bind source must be an absolute path: " + source);
        }
        if (!target.startsWith("/") || !Path.of(target).normalize().toString().equals(target)) {
            throw new IllegalArgumentException("bind target must be an absolute, normalised path: " + target);
        }
    }

    /** Parses {@code SRC:DST[:ro|rw]}; relative sources are resolved against {@code cwd}. */
    public static Bind parse(String spec, Path cwd) {
        String[] parts = spec.split(":", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("--bind takes SRC:DST[:ro|rw], got '" + spec + "'");
        }
        boolean readOnly = false;
        if (parts.length == 3) {
            switch (parts[2]) {
                case "ro" -> readOnly = true;
                case "rw" -> readOnly = false;
                default -> throw new IllegalArgumentException("--bind mode must be ro or rw, got '" + parts[2] + "' in '" + spec + "'");
            }
        }
        return new Bind(cwd.resolve(parts[0]).normalize(), parts[1], readOnly);
    }
}
