package org.sandboxrunner.core.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.sandboxrunner.core.box.BoxOverlay;
import org.sandboxrunner.core.box.CopyBack;
import org.sandboxrunner.core.box.CopyBackReport;
import org.sandboxrunner.core.image.LinuxBeneathFs;
import org.sandboxrunner.core.launch.NativeLauncher;
import org.sandboxrunner.core.nativeio.Fd;

/**
 * What a host work directory becomes for one run. A root runner gives the run a {@link BoxOverlay}
 * (the work directory read-only beneath a size-limited upper layer), handed to the helper as a
 * descriptor, and copies the changes back afterwards; a runner that is not root cannot mount in the host's namespace, so it binds the work
 * directory itself, lent with a {@link WorkdirLease}, and its size stays unbounded (docs/security.md).
 */
final class WorkdirBox implements AutoCloseable {
    private final Path workdir;
    private final BoxOverlay overlay;
    private final WorkdirLease lease;

    private WorkdirBox(Path workdir, BoxOverlay overlay, WorkdirLease lease) {
        this.workdir = workdir;
        this.overlay = overlay;
        this.lease = lease;
    }

    /** @param sizeBytes the upper layer's size: what the run can write in {@code /box} at most */
    static WorkdirBox open(Path workdir, boolean root, long sizeBytes, long hostUid, long hostGid) {
        if (!root) {
            return new WorkdirBox(workdir, null, WorkdirLease.take(workdir, hostUid, hostGid));
        }
        try {
            return new WorkdirBox(workdir, BoxOverlay.mount(workdir, sizeBytes, hostUid, hostGid), null);
        } catch (IOException e) {
            throw new SandboxSetupException("box", "cannot build the box over the work directory " + workdir + ": "
                    + e.getMessage(), Verdict.SETUP_FAILED, e);
        }
    }

    /**
     * The helper's descriptor number of the overlay, which the plan moves to {@code /box} instead of
     * binding the work directory; empty without an overlay.
     */
    OptionalInt helperFd() {
        return overlay == null ? OptionalInt.empty() : OptionalInt.of(NativeLauncher.FIRST_INHERITED_FD);
    }

    /** What the launch hands the helper: the overlay at {@link #helperFd()}; nothing without one. */
    Map<Integer, Fd> inherited() {
        return overlay == null ? Map.of() : Map.of(NativeLauncher.FIRST_INHERITED_FD, overlay.tree());
    }

    /** After the run: the overlay's changes written to the work directory; empty without an overlay. */
    Optional<CopyBackReport> copyBack() {
        if (overlay == null) {
            return Optional.empty();
        }
        try {
            overlay.detach();
            return Optional.of(CopyBack.apply(overlay.upper(), workdir, new LinuxBeneathFs()));
        } catch (IOException e) {
            throw new SandboxSetupException("copy-back", "the run's changes could not all be copied back to "
                    + workdir + ": " + e.getMessage(), Verdict.SETUP_FAILED, e);
        }
    }

    @Override
    public void close() {
        if (lease != null) {
            lease.close();
        }
        if (overlay != null) {
            overlay.close();
        }
    }
}
