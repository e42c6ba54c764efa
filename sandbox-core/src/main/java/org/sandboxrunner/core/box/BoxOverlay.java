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
import org.sandboxrunner.core.nativeio.Fd;

/**
 * The box of a run with a host work directory: an overlay whose lower layer is the work directory
 * (never written while the run lasts) and whose upper layer lives on a tmpfs of a fixed size and
 * inode count, so that filling {@code /box} ends with ENOSPC at that size and the host's disk is
 * untouched. Both are detached mounts (fsmount(2)) that only descriptors reach, never a path of the
 * host's mount namespace: the overlay's {@link #tree()} goes to the native helper, whose sandbox init
 * moves it to {@code /box} inside the run's own mount namespace, so a runner killed mid-run leaves no
 * mount behind (the kernel frees each detached mount with its last descriptor and the run's mount
 * namespace with its last process). After the run, {@link #detach()} lets the overlay go and {@link
 * #upper()} is what {@link CopyBack} brings home. Needs root in the initial user namespace.
 */
public final class BoxOverlay implements AutoCloseable {
    /** One inode per 4 KiB page of the size: a run of many empty files stops as a run of big ones does. */
    private static final long BYTES_PER_INODE = 4096;

    private final int layer;
    private Fd tree;
    private boolean closed;

    private BoxOverlay(int layer) {
        this.layer = layer;
    }

    /**
     * Builds the detached overlay of {@code workdir} with an upper layer of {@code sizeBytes} owned by
     * {@code uid:gid} (the sandbox user's host ids, who must be able to write {@code /box}).
     */
    public static BoxOverlay mount(Path workdir, long sizeBytes, long uid, long gid) throws IOException {
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
        BoxOverlay box = new BoxOverlay(layer);
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
            box.tree = Fd.adopt(MountCalls.mountDetached("overlay", overlay,
                    MountCalls.MOUNT_ATTR_NOSUID | MountCalls.MOUNT_ATTR_NODEV));
            return box;
        } catch (IOException | RuntimeException e) {
            box.close();
            throw e;
        }
    }

    /**
     * The detached overlay (close-on-exec): what the run's init moves to {@code /box}. Only the helper
     * may get it; it is this object's until {@link #detach()}.
     */
    public Fd tree() {
        if (tree == null || !tree.isOpen()) {
            throw new IllegalStateException("the box overlay is detached");
        }
        return tree;
    }

    /** The upper layer: what the run created, changed and removed. Read it after {@link #detach()}. */
    public Path upper() {
        return layerRoot().resolve("upper");
    }

    /**
     * Lets the overlay go once the run is over: the kernel unmounted it with the run's mount namespace,
     * and this descriptor was its last reference; an overlay the run never attached is dissolved when
     * its last descriptor closes (fs/namespace.c, dissolve_on_fput).
     */
    public void detach() {
        if (tree != null) {
            tree.close();
        }
    }

    private Path layerRoot() {
        // The detached tmpfs has no path of its own; its root is reached through this process's descriptor.
        return Path.of("/proc/self/fd/" + layer);
    }

    @Override
    public void close() {
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
