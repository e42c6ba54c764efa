/*
 * Changes the mount table from inside: mount a tmpfs, unmount a mask (/etc/shadow is /dev/null bound
 * over the real file) and a read-only overlay (/proc/sys), remount /usr read-write (classic remount
 * and mount_setattr), clone a tree with open_tree, create a filesystem context with fsopen, move a
 * mount with move_mount, and pivot_root.
 *
 * Must fail inside: every one needs CAP_SYS_ADMIN over the sandbox's mount namespace, and the
 * workload holds no capability at all (the default seccomp filter also answers EPERM for each).
 * Outside, as root in a private mount namespace (unshare --mount), mounting a tmpfs works.
 *
 * Usage: fs_mount SCRATCH_DIR   (a directory it may mount on; /tmp inside)
 */
#include "hostile.h"

#include <fcntl.h>
#include <linux/mount.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        broken("usage", EINVAL);
    }
    const char *scratch = argv[1];
    char old[4096];
    snprintf(old, sizeof old, "%s/old-root", scratch);

    step_result("mount-tmpfs", mount("escape", scratch, "tmpfs", 0, "size=1m"));
    step_result("umount-mask", umount2("/etc/shadow", MNT_DETACH));
    step_result("umount-readonly", umount2("/proc/sys", MNT_DETACH));
    step_result("remount-rw", mount(NULL, "/usr", NULL, MS_REMOUNT | MS_BIND, NULL));

    struct mount_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.attr_clr = MOUNT_ATTR_RDONLY;
    step_result("mount_setattr-rw", syscall(SYS_mount_setattr, AT_FDCWD, "/usr", AT_RECURSIVE, &attr, sizeof attr));

    long tree = syscall(SYS_open_tree, AT_FDCWD, "/usr", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    if (step_result("open_tree", tree)) {
        step_result("move_mount", syscall(SYS_move_mount, (int)tree, "", AT_FDCWD, scratch, MOVE_MOUNT_F_EMPTY_PATH));
        close((int)tree);
    } else {
        step_result("move_mount", syscall(SYS_move_mount, AT_FDCWD, "/proc", AT_FDCWD, scratch, 0));
    }
    long fsfd = syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
    if (step_result("fsopen", fsfd)) {
        close((int)fsfd);
    }

    /* Last: if it ever worked, nothing after it would run in the old root. */
    mkdir(old, 0755);
    step_result("pivot_root", syscall(SYS_pivot_root, scratch, old));
    return verdict();
}
