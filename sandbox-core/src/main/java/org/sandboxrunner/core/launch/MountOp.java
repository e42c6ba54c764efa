package org.sandboxrunner.core.launch;

import java.util.Set;

/**
 * One filesystem operation of the plan, executed in order by the native stage. Targets are paths
 * inside the sandbox. BIND, TMPFS, PROC, DEV and SYMLINK are built under the new root before
 * pivot_root; MASK and READONLY are applied after it, on what the sandbox sees. OVERLAY, first when
 * present, is the root itself: an image's layers (source: a lowerdir list, topmost first) under a
 * throwaway tmpfs upper layer (data: its tmpfs options). INHERITED moves a detached mount the runner
 * hands the native stage as a descriptor (source: that descriptor's number in the helper, see {@link
 * NativeLauncher#launch(LaunchPlan, Stdio, java.util.Map)}) to its target, in plan order like a bind.
 */
public record MountOp(Kind kind, Set<Flag> flags, String source, String target, String data) {

    /**
     * The order of the constants is the wire value (1-based) shared with plan.h; INHERITED has a record
     * of its own instead (plan.h TAG_MOUNT_INHERITED).
     */
    public enum Kind { BIND, TMPFS, PROC, DEV, SYMLINK, MASK, READONLY, OVERLAY, INHERITED }

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
        if (kind == Kind.INHERITED && !source.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("an inherited mount's source is a descriptor number, not '" + source + "'");
        }
    }

    /** The detached mount the helper inherits as descriptor {@code helperFd}, moved to {@code target}. */
    public static MountOp inherited(int helperFd, String target, Set<Flag> flags) {
        return new MountOp(Kind.INHERITED, flags, Integer.toString(helperFd), target, "");
    }

    /** For INHERITED: the helper's descriptor number. */
    public int inheritedFd() {
        if (kind != Kind.INHERITED) {
            throw new IllegalStateException(kind + " is not an inherited mount");
        }
        return Integer.parseInt(source);
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
