#define _GNU_SOURCE
#include "mounts.h"
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

const char *const dev_node_names[DEV_NODES] = { "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom" };

static uint64_t tree_attrs(uint32_t flags)
{
    uint64_t a = 0;
    if (flags & MNT_RDONLY) a |= MOUNT_ATTR_RDONLY;
    if (flags & MNT_NOSUID) a |= MOUNT_ATTR_NOSUID;
    if (flags & MNT_NODEV) a |= MOUNT_ATTR_NODEV;
    if (flags & MNT_NOEXEC) a |= MOUNT_ATTR_NOEXEC;
    return a;
}

/* Returns the tree fd, -1 with errno set, or -2 when the runner may not clone trees (unprivileged). */
static int clone_tree(const char *source, uint32_t flags, int *is_dir)
{
    struct stat st;
    if (stat(source, &st) < 0) {
        return -1;
    }
    *is_dir = S_ISDIR(st.st_mode);
    int fd = (int)syscall(SYS_open_tree, AT_FDCWD, source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
    if (fd < 0) {
        return errno == EPERM ? -2 : -1;
    }
    uint64_t attrs = tree_attrs(flags);
    if (attrs != 0) {
        struct mount_attr attr;
        memset(&attr, 0, sizeof attr);
        attr.attr_set = attrs;
        /* Recursive, so no submount of a read-only tree stays writable. */
        if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0) {
            int saved = errno;
            close(fd);
            errno = saved;
            return -1;
        }
    }
    return fd;
}

int open_mount_sources(struct plan *p, int report_fd)
{
    int dummy;
    for (size_t i = 0; i < DEV_NODES; i++) {
        p->dev_fds[i] = -1;
    }
    for (size_t i = 0; i < p->n_mounts; i++) {
        struct mount_entry *m = &p->mounts[i];
        m->tree_fd = -1;
        if (m->kind == MOUNT_DEV) {
            for (size_t d = 0; d < DEV_NODES; d++) {
                int fd = clone_tree(dev_node_names[d], MNT_NOSUID | MNT_NOEXEC, &dummy);
                if (fd == -1) {
                    report_fail(report_fd, "mounts", errno, dev_node_names[d]);
                    return -1;
                }
                p->dev_fds[d] = fd < 0 ? -1 : fd;
            }
        }
        if (m->kind != MOUNT_BIND) {
            continue;
        }
        int fd = clone_tree(m->source, m->flags, &m->is_dir);
        if (fd == -1) {
            if (errno == ENOENT && (m->flags & MNT_OPTIONAL)) {
                m->skip = 1;
                continue;
            }
            report_fail(report_fd, "mounts", errno, m->source);
            return -1;
        }
        m->tree_fd = fd < 0 ? -1 : fd;
    }
    return 0;
}
