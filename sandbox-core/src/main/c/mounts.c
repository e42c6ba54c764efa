#define _GNU_SOURCE
#include "mounts.h"
#include "report.h"

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

const char *const dev_node_names[DEV_NODES] = { "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom" };

/*
 * Returns the tree fd, -1 with errno set, or -2 when the runner may not clone trees (unprivileged).
 * The source is resolved without following any symlink (openat2 RESOLVE_NO_SYMLINKS; ELOOP otherwise):
 * a link planted by an earlier run in a directory the caller binds again must not send the bind to
 * another host directory.
 */
static int clone_tree(const char *source, uint32_t flags, int *is_dir)
{
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = O_PATH | O_CLOEXEC;
    how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    int path = (int)syscall(SYS_openat2, AT_FDCWD, source, &how, sizeof how);
    if (path < 0) {
        return -1;
    }
    struct stat st;
    if (fstat(path, &st) < 0) {
        int saved = errno;
        close(path);
        errno = saved;
        return -1;
    }
    *is_dir = S_ISDIR(st.st_mode);
    int fd = (int)syscall(SYS_open_tree, path, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
    int saved = errno;
    close(path);
    errno = saved;
    if (fd < 0) {
        return errno == EPERM ? -2 : -1;
    }
    uint64_t attrs = mount_attr_bits(flags);
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

static int fs_set(int fs, const char *key, const char *value)
{
    return (int)syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, key, value, 0);
}

/* Creates the superblock configured on fs and returns a detached mount of it (fsmount(2)). */
static int fs_mount(int fs, unsigned int attrs)
{
    int rc = (int)syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0);
    int mnt = rc < 0 ? -1 : (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, attrs);
    int saved = errno;
    close(fs);
    errno = saved;
    return mnt;
}

/* mkdir -p of a path relative to dirfd; the last component is an empty file when as_file. */
static int make_beneath(int dirfd, const char *path, int as_file)
{
    char buf[4096];
    size_t n = str_len(path);
    if (n >= sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(buf, path, n + 1);
    for (char *s = buf; *s != '\0'; s++) {
        if (*s == '/' && s != buf) {
            *s = '\0';
            if (mkdirat(dirfd, buf, 0755) < 0 && errno != EEXIST) {
                return -1;
            }
            *s = '/';
        }
    }
    if (!as_file) {
        return mkdirat(dirfd, buf, 0755) < 0 && errno != EEXIST ? -1 : 0;
    }
    int fd = openat(dirfd, buf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
        return errno == EEXIST ? 0 : -1;
    }
    close(fd);
    return 0;
}

/*
 * The image root: an overlay of the verified image's cached layers with a throwaway upper layer on a
 * size-limited tmpfs, both made here as detached mounts with the runner's authority (the layer cache
 * is the runner's alone). The mount points of every later operation are created in the upper layer
 * now: inside the sandbox, the image's directories belong to ids it does not map, so it could not
 * create them itself.
 */
static int open_overlay_root(struct plan *p, int report_fd)
{
    struct mount_entry *root = &p->mounts[0];
    char options[1024], upper[64], work[64], digits[24];
    int fs = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
    if (fs < 0) {
        report_fail(report_fd, "mounts", errno, "fsopen(tmpfs)");
        return -1;
    }
    if (str_len(root->data) >= sizeof options) {
        report_fail(report_fd, "mounts", ENAMETOOLONG, root->data);
        close(fs);
        return -1;
    }
    memcpy(options, root->data, str_len(root->data) + 1);
    for (char *opt = strtok(options, ","); opt != NULL; opt = strtok(NULL, ",")) {
        char *eq = strchr(opt, '=');
        if (eq == NULL || (*eq = '\0', fs_set(fs, opt, eq + 1) < 0)) {
            report_fail(report_fd, "mounts", eq == NULL ? EINVAL : errno, root->data);
            close(fs);
            return -1;
        }
    }
    int layer = fs_mount(fs, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
    if (layer < 0 || make_beneath(layer, "upper", 0) < 0 || make_beneath(layer, "work", 0) < 0) {
        report_fail(report_fd, "mounts", errno, "the image's upper layer");
        return -1;
    }
    for (size_t i = 1; i < p->n_mounts; i++) {
        const struct mount_entry *m = &p->mounts[i];
        if (m->kind == MOUNT_MASK || m->kind == MOUNT_READONLY || m->kind == MOUNT_SYMLINK || m->skip) {
            continue;
        }
        char at[4096];
        if (str_join(at, sizeof at, "upper", m->target) < 0
                || make_beneath(layer, at, m->kind == MOUNT_BIND && !m->is_dir) < 0) {
            report_fail(report_fd, "mounts", errno, m->target);
            return -1;
        }
    }
    u64_text(digits, (uint64_t)layer);
    if (str_join(upper, sizeof upper, "/proc/self/fd/", digits) < 0 || str_join(upper, sizeof upper, upper, "/upper") < 0
            || str_join(work, sizeof work, "/proc/self/fd/", digits) < 0 || str_join(work, sizeof work, work, "/work") < 0) {
        report_fail(report_fd, "mounts", ENAMETOOLONG, "overlay paths");
        return -1;
    }
    int ovl = (int)syscall(SYS_fsopen, "overlay", FSOPEN_CLOEXEC);
    if (ovl < 0 || fs_set(ovl, "lowerdir", root->source) < 0 || fs_set(ovl, "upperdir", upper) < 0
            || fs_set(ovl, "workdir", work) < 0) {
        report_fail(report_fd, "mounts", errno, "overlay");
        return -1;
    }
    root->tree_fd = fs_mount(ovl, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
    int saved = errno;
    close(layer); /* the overlay keeps its upper layer alive */
    if (root->tree_fd < 0) {
        report_fail(report_fd, "mounts", saved, root->source);
        return -1;
    }
    root->is_dir = 1;
    return 0;
}

/*
 * Takes the detached mount the runner passed at m->inherited_fd as the entry's tree: close-on-exec from
 * now on (posix_spawn's dup2 cleared the flag), so it reaches the init through clone(2) and nothing
 * through exec; given the entry's attributes. The init moves the mount itself into place (move_mount(2)
 * attaches a detached mount, as for an image's root): unlike open_tree(OPEN_TREE_CLONE) of a detached
 * mount, which the kernel allows only from 6.15 on, this works wherever fsmount(2) does.
 */
static int take_inherited(struct mount_entry *m, int report_fd)
{
    int fd = (int)m->inherited_fd;
    struct stat st;
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 || fstat(fd, &st) < 0) {
        report_fail(report_fd, "mounts", errno, m->source);
        return -1;
    }
    uint64_t attrs = mount_attr_bits(m->flags);
    if (attrs != 0) {
        struct mount_attr attr;
        memset(&attr, 0, sizeof attr);
        attr.attr_set = attrs;
        if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0) {
            report_fail(report_fd, "mounts", errno, m->source);
            return -1;
        }
    }
    m->is_dir = S_ISDIR(st.st_mode);
    m->tree_fd = fd;
    return 0;
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
        if (m->kind == MOUNT_INHERITED) {
            if (take_inherited(m, report_fd) < 0) {
                return -1;
            }
            continue;
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
    return p->n_mounts > 0 && p->mounts[0].kind == MOUNT_OVERLAY ? open_overlay_root(p, report_fd) : 0;
}
