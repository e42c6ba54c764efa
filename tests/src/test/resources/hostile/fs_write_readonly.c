/*
 * Tries to change files the sandbox sees read-only: opens them for writing, creates and links files
 * beside them, and sets their mode, owner, times, size, name and extended attributes to what they
 * already are (so that run outside on a scratch copy it changes nothing that matters).
 *
 * Must fail inside: the host view (/usr, /etc, /bin, /lib ...) and the test's /host bind are
 * read-only mounts (MOUNT_ATTR_RDONLY set recursively on the detached tree before it is moved in),
 * the sandbox's root is a read-only tmpfs, and nothing in the sandbox holds CAP_DAC_OVERRIDE. The
 * files in /host belong to the sandbox's own uid, so there only the mount flag stops the write.
 *
 * Usage: fs_write_readonly FILE...
 */
#include "hostile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>

static void try_file(const char *path)
{
    char step[4200], other[4200];
    struct stat st;
    if (lstat(path, &st) < 0) {
        snprintf(step, sizeof step, "stat:%s", path);
        blocked(step, errno);
        return;
    }

    snprintf(step, sizeof step, "open-write:%s", path);
    int fd = open(path, O_WRONLY | O_APPEND);
    if (step_result(step, fd)) {
        close(fd);
    }

    snprintf(step, sizeof step, "create:%s.new", path);
    snprintf(other, sizeof other, "%s.new", path);
    fd = open(other, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (step_result(step, fd)) {
        close(fd);
        unlink(other);
    }

    snprintf(step, sizeof step, "mkdir:%s.d", path);
    snprintf(other, sizeof other, "%s.d", path);
    if (step_result(step, mkdir(other, 0755))) {
        rmdir(other);
    }

    snprintf(step, sizeof step, "chmod:%s", path);
    step_result(step, chmod(path, st.st_mode & 07777));

    snprintf(step, sizeof step, "chown:%s", path);
    step_result(step, lchown(path, st.st_uid, st.st_gid));

    snprintf(step, sizeof step, "utimes:%s", path);
    struct timespec times[2] = { st.st_atim, st.st_mtim };
    step_result(step, utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW));

    if (S_ISREG(st.st_mode)) {
        snprintf(step, sizeof step, "truncate:%s", path);
        step_result(step, truncate(path, st.st_size));
    }

    snprintf(step, sizeof step, "setxattr:%s", path);
    if (step_result(step, lsetxattr(path, "user.escape", "1", 1, 0))) {
        lremovexattr(path, "user.escape");
    }

    snprintf(step, sizeof step, "rename:%s", path);
    snprintf(other, sizeof other, "%s.moved", path);
    if (step_result(step, rename(path, other))) {
        rename(other, path);
    }

    snprintf(step, sizeof step, "link:%s", path);
    snprintf(other, sizeof other, "%s.link", path);
    if (step_result(step, link(path, other))) {
        unlink(other);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        broken("usage", EINVAL);
    }
    for (int i = 1; i < argc; i++) {
        try_file(argv[i]);
    }
    return verdict();
}
