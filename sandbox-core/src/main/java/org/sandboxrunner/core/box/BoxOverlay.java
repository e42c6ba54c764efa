package org.sandboxrunner.core.box;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.sandboxrunner.core.image.BeneathFs;
import org.sandboxrunner.core.image.LinuxBeneathFs;
import org.sandboxrunner.core.image.NativeFsException;

/**
 * The box of a run with a host work directory: an overlay whose lower layer is the work directory
 * (never written while the run lasts) and whose upper layer lives on a tmpfs of a fixed size and
 * inode count, so that filling {@code /box} ends with ENOSPC at that size and the host's disk is
 * untouched. The tmpfs is a detached mount (fsmount(2)) that only this object's descriptor reaches;
 * the overlay is attached at a private mount point for the plan to bind. After the run, {@link
 * #detach()} takes the overlay away and {@link #upper()} is what {@link CopyBack} brings home.
 * Needs root in the initial user namespace (the runner's mount namespace is the host's).
 */
public final class BoxOverlay implements AutoCloseable {
    /** One inode per 4 KiB page of the size: a run of many empty files stops as a run of big ones does. */
    private static final long BYTES_PER_INODE = 4096;

    private final Path mountPoint;
    private final int layer;
    private boolean attached;
    private boolean closed;

    private BoxOverlay(Path mountPoint, int layer) {
        this.mountPoint = mountPoint;
        this.layer = layer;
    }

    /**
     * Builds the overlay of {@code workdir} with an upper layer of {@code sizeBytes} owned by {@code
     * uid:gid} (the sandbox user's host ids, who must be able to write {@code /box}), attached at {@code
     * mountPoint}, which must not exist yet and is removed again by {@link #close()}.
     */
    public static BoxOverlay mount(Path workdir, Path mountPoint, long sizeBytes, long uid, long gid) throws IOException {
        if (!Files.isDirectory(workdir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("--workdir " + workdir + " is not a directory");
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(workdir, LinkOption.NOFOLLOW_LINKS);
        String[][] tmpfs = {
            {"size", Long.toString(sizeBytes)},
            {"nr_inodes", Long.toString(Math.max(64, sizeBytes / BYTES_PER_INODE))},
            {"mode", "0700"},
        };
        int layer = MountCalls.mountDetached("tmpfs", tmpfs, MountCalls.MOUNT_ATTR_NOSUID | MountCalls.MOUNT_ATTR_NODEV);
        BoxOverlay box = new BoxOverlay(mountPoint, layer);
        try (BeneathFs.Fd lower = new LinuxBeneathFs().openRoot(workdir)) {
            Path root = box.layerRoot();
            Path upper = Files.createDirectory(root.resolve("upper"));
            Files.createDirectory(root.resolve("work"));
            // The merged root takes the upper directory's owner and mode (overlayfs.rst, "Directories").
            Files.setPosixFilePermissions(upper, mode);
            Files.setAttribute(upper, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(upper, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
            // No redirects, no index, no metadata-only copy-up: every change the run makes is a whole
            // file, a directory, a whiteout or an opaque directory in the upper layer, which is all
            // CopyBack understands. The lower layer is named by descriptor: no path of the caller's
            // is parsed for overlay's ',' and ':' separators.
            String[][] overlay = {
                {"lowerdir", "/proc/self/fd/" + lower.fd()},
                {"upperdir", upper.toString()},
                {"workdir", root.resolve("work").toString()},
                {"redirect_dir", "off"},
                {"index", "off"},
                {"metacopy", "off"},
            };
            int merged = MountCalls.mountDetached("overlay", overlay, MountCalls.MOUNT_ATTR_NOSUID | MountCalls.MOUNT_ATTR_NODEV);
            try {
                Files.createDirectories(mountPoint.getParent());
                Files.createDirectory(mountPoint);
                MountCalls.attach(merged, mountPoint.toString());
                box.attached = true;
            } finally {
                MountCalls.close(merged);
            }
            return box;
        } catch (IOException | RuntimeException e) {
            box.close();
            throw e;
        }
    }

    /** Where the overlay is attached: the source of the run's {@code /box} bind. */
    public Path mountPoint() {
        return mountPoint;
    }

    /** The upper layer: what the run created, changed and removed. Read it after {@link #detach()}. */
    public Path upper() {
        return layerRoot().resolve("upper");
    }

    /** Unmounts the overlay (lazily: it is freed once the run's last reference is gone). */
    public void detach() throws IOException {
        if (attached) {
            attached = false;
            MountCalls.detach(mountPoint.toString());
        }
        Files.deleteIfExists(mountPoint);
    }

    private Path layerRoot() {
        // The detached tmpfs has no path of its own; its root is reached through this process's descriptor.
        return Path.of("/proc/self/fd/" + layer);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            detach();
        } finally {
            MountCalls.close(layer); // the last reference: the tmpfs and what the run wrote are freed
        }
    }
}
