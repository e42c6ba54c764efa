package org.sandboxrunner.policy;

import java.util.List;

/**
 * Runner addition {@code filesystem}: the view of the host the sandbox gets when it runs no image.
 *
 * @param hostReadOnly host paths bound read-only at the same place ({@code /usr}, {@code /etc}, ...);
 *                     a listed path missing on the host is skipped (e.g. {@code /lib32})
 * @param box          where the work directory is bound read-write and used as the cwd
 * @param tmpSizeBytes size of the private {@code /tmp} tmpfs
 * @param mounts       extra OCI mounts (binds, tmpfs)
 */
public record FilesystemSpec(List<String> hostReadOnly, String box, long tmpSizeBytes, List<MountSpec> mounts) {

    public FilesystemSpec {
        hostReadOnly = Checks.list(hostReadOnly, "filesystem.hostReadOnly");
        hostReadOnly.forEach(p -> Checks.absolutePath(p, "filesystem.hostReadOnly[]"));
        Checks.absolutePath(box, "filesystem.box");
        Checks.positive(tmpSizeBytes, "filesystem.tmpSize");
        mounts = Checks.list(mounts, "mounts");
    }
}
