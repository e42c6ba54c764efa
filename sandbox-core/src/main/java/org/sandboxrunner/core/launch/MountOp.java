package org.sandboxrunner.core.launch;

import java.util.Set;

/**
 * One filesystem operation of the plan, executed in order by the native stage. Targets are paths
 * inside the sandbox. BIND, TMPFS, PROC, DEV and SYMLINK are built under the new root before
 * pivot_root; MASK and READONLY are applied after it, on what the sandbox sees. OVERLAY, first when
 * present, is the root itself: an image's layers (source: a lowerdir list, topmost first) under a
 * throwaway tmpfs upper layer (data: its tmpfs options).
 */
public record MountOp(Kind kind, Set<Flag> flags, String source, String target, String data) {

    /** The order of the constants is the wire value (1-based) shared with plan.h. */
    public enum Kind { BIND, TMPFS, PROC, DEV, SYMLINK, MASK, READONLY, OVERLAY }

    /** Bit values shared with plan.h ({@code 1 << ordinal}). */
    public enum Flag { RDONLY, NOSUID, NODEV, NOEXEC, OPTIONAL }

    public MountOp {
        if (kind == null || flags == null || source == null || target == null || data == null) {
            throw new NullPointerException("mount operation fields must not be null");
        }
        flags = Set.copyOf(flags);
        if (!target.startsWith("/")) {
            throw new IllegalArgumentException("mount target must be absolute: " + target);
        }
        for (String s : new String[] {source, target, data}) {
            if (s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("mount paths and data must not contain NUL");
            }
        }
    }

    public static MountOp bind(String source, String target, Set<Flag> flags) {
        return new MountOp(Kind.BIND, flags, source, target, "");
    }

    public static MountOp tmpfs(String target, String options, Set<Flag> flags) {
        return new MountOp(Kind.TMPFS, flags, "tmpfs", target, options);
    }

    public static MountOp of(Kind kind, String target) {
        return new MountOp(kind, Set.of(), "", target, "");
    }
}
