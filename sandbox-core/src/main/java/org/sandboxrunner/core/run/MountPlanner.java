package org.sandboxrunner.core.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.sandboxrunner.core.launch.MountOp;
import org.sandboxrunner.core.launch.MountOp.Flag;
import org.sandboxrunner.core.launch.MountOp.Kind;
import org.sandboxrunner.policy.FilesystemSpec;
import org.sandboxrunner.policy.MountSpec;
import org.sandboxrunner.policy.Profile;

/**
 * Turns a profile's filesystem view and the request's binds into the ordered mount operations of a
 * plan: the host's read-only view, the profile's OCI mounts, the box, the caller's binds, then /proc,
 * /dev and /tmp, then the masked and read-only paths (applied after pivot_root, on what the sandbox
 * sees).
 */
final class MountPlanner {
    /** /dev/shm: POSIX shared memory for the run, private to it. */
    private static final String DEV_SHM_OPTIONS = "size=64m,mode=1777";

    private MountPlanner() {}

    /**
     * @param boxFd with a work directory, the helper's descriptor of its box overlay (root runner): moved
     *              to the box, so that no mount of the run has a path on the host; empty: the work
     *              directory itself is bound there
     */
    static List<MountOp> plan(Profile profile, Optional<ImageRoot> image, Optional<Path> workdir, OptionalInt boxFd,
            List<Bind> binds, long boxUid, long boxGid) {
        if (boxFd.isPresent() && workdir.isEmpty()) {
            throw new IllegalArgumentException("a box overlay descriptor without a work directory");
        }
        FilesystemSpec fs = profile.filesystem();
        List<MountOp> ops = new ArrayList<>();
        List<String> writableTargets = new ArrayList<>();
        // An image replaces the host's read-only view: its layers are the root, and what the run
        // writes there goes to a tmpfs as large as /tmp and dies with the run.
        image.ifPresent(i -> ops.add(new MountOp(Kind.OVERLAY, Set.of(), i.lowerDirOption(), "/",
                "size=" + fs.tmpSizeBytes() + ",mode=0755")));
        for (String path : image.isPresent() ? List.<String>of() : fs.hostReadOnly()) {
            Path host = Path.of(path);
            if (Files.isSymbolicLink(host)) {
                // Merged-/usr systems link /bin to usr/bin: recreate the link rather than bind its
                // target twice, so the sandbox sees the same layout as the host.
                ops.add(new MountOp(Kind.SYMLINK, Set.of(), readLink(host), path, ""));
            } else {
                ops.add(MountOp.bind(path, path, EnumSet.of(Flag.RDONLY, Flag.NOSUID, Flag.NODEV, Flag.OPTIONAL)));
            }
        }
        for (MountSpec m : fs.mounts()) {
            ops.add(fromOci(m));
            if (m.type().equals("bind") && !m.readOnly()) {
                writableTargets.add(m.destination());
            }
        }
        if (boxFd.isPresent()) {
            ops.add(MountOp.inherited(boxFd.getAsInt(), fs.box(), EnumSet.of(Flag.NOSUID, Flag.NODEV)));
            writableTargets.add(fs.box());
        } else if (workdir.isPresent()) {
            ops.add(MountOp.bind(workdir.get().toString(), fs.box(), EnumSet.of(Flag.NOSUID, Flag.NODEV)));
            writableTargets.add(fs.box());
        } else {
            ops.add(MountOp.tmpfs(fs.box(), "size=" + fs.tmpSizeBytes() + ",mode=0755,uid=" + boxUid + ",gid=" + boxGid,
                    EnumSet.of(Flag.NOSUID, Flag.NODEV)));
        }
        for (Bind b : binds) {
            for (String w : writableTargets) {
                if (b.target().startsWith(w + "/")) {
                    // Creating its mount point would create a directory in the host directory bound there.
                    throw new IllegalArgumentException("bind target " + b.target() + " is inside the writable bind "
                            + w + "; choose a target outside it");
                }
            }
            Set<Flag> flags = b.readOnly() ? EnumSet.of(Flag.RDONLY, Flag.NOSUID, Flag.NODEV) : EnumSet.of(Flag.NOSUID, Flag.NODEV);
            ops.add(MountOp.bind(b.source().toString(), b.target(), flags));
        }
        ops.add(MountOp.of(Kind.PROC, "/proc"));
        ops.add(new MountOp(Kind.DEV, Set.of(), "", "/dev", DEV_SHM_OPTIONS));
        ops.add(MountOp.tmpfs("/tmp", "size=" + fs.tmpSizeBytes() + ",mode=1777", EnumSet.of(Flag.NOSUID, Flag.NODEV)));
        profile.linux().maskedPaths().forEach(p -> ops.add(MountOp.of(Kind.MASK, p)));
        profile.linux().readonlyPaths().forEach(p -> ops.add(MountOp.of(Kind.READONLY, p)));
        return ops;
    }

    private static MountOp fromOci(MountSpec m) {
        Set<Flag> flags = EnumSet.noneOf(Flag.class);
        List<String> data = new ArrayList<>();
        for (String o : m.options()) {
            switch (o) {
                case "ro" -> flags.add(Flag.RDONLY);
                case "nosuid" -> flags.add(Flag.NOSUID);
                case "nodev" -> flags.add(Flag.NODEV);
                case "noexec" -> flags.add(Flag.NOEXEC);
                case "rw", "bind", "rbind", "suid", "dev", "exec" -> { }
                default -> data.add(o);
            }
        }
        // A set-user-ID file or a device node on any mount of the sandbox would be a way up or out
        // should another layer fall (no_new_privs, the capability sets), so nosuid,nodev are not the
        // profile's choice.
        flags.add(Flag.NOSUID);
        flags.add(Flag.NODEV);
        return switch (m.type()) {
            case "bind" -> {
                if (!data.isEmpty()) {
                    throw new IllegalArgumentException("mount " + m.destination() + ": unsupported bind options " + data);
                }
                yield MountOp.bind(m.source(), m.destination(), flags);
            }
            case "tmpfs" -> MountOp.tmpfs(m.destination(), String.join(",", data), flags);
            default -> throw new IllegalArgumentException("mount " + m.destination() + ": type '" + m.type()
                    + "' is not supported (bind and tmpfs are)");
        };
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the link " + link + ": " + e.getMessage(), e);
        }
    }

}
