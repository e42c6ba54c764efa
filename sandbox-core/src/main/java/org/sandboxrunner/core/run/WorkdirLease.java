package org.sandboxrunner.core.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Lends the work directory to the sandbox's host ids for one run, where it is bound as it is (a
 * runner that is not root; a root runner gives the run a {@link org.sandboxrunner.core.box.BoxOverlay}
 * instead). The directory itself (not its contents) is given to those ids for the run and handed
 * back afterwards. Files the run created stay owned by the sandbox's host ids, which is what they are.
 */
final class WorkdirLease implements AutoCloseable {
    private final Path dir;
    private final int uid, gid;
    private boolean changed;

    private WorkdirLease(Path dir, int uid, int gid) {
        this.dir = dir;
        this.uid = uid;
        this.gid = gid;
    }

    static WorkdirLease take(Path dir, long hostUid, long hostGid) {
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException("--workdir " + dir + " is not a directory");
            }
            int uid = (int) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int gid = (int) Files.getAttribute(dir, "unix:gid", LinkOption.NOFOLLOW_LINKS);
            WorkdirLease lease = new WorkdirLease(dir, uid, gid);
            if (uid != hostUid || gid != hostGid) {
                Files.setAttribute(dir, "unix:uid", (int) hostUid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(dir, "unix:gid", (int) hostGid, LinkOption.NOFOLLOW_LINKS);
                lease.changed = true;
            }
            return lease;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lend the work directory " + dir + " to the sandbox: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!changed) {
            return;
        }
        changed = false;
        try {
            Files.setAttribute(dir, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(dir, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give the work directory " + dir + " back to uid " + uid + ": " + e.getMessage(), e);
        }
    }
}
