/*
 * ".." and symlink tricks against the binds: symlinks in the writable box that point at a host path
 * (absolute, and as a long run of ".."), ".." walks from the box, /proc/self/root and /proc/1/root
 * and /proc/1/cwd, and a hard link from the box to a file of another bind (so that the host, or a
 * later run, would find the file through the box).
 *
 * Must fail inside: every path, symlinks included, resolves inside the sandbox's mount namespace,
 * whose root is the new tmpfs root ("/.." is "/"); the host's root was detached after pivot_root.
 * /proc/1 is the sandbox's own init, which is not dumpable, so its root and cwd links refuse anyone
 * without CAP_SYS_PTRACE. A hard link across two mounts is refused with EXDEV even on one filesystem.
 *
 * The init's links are only tried inside (--init): outside, pid 1 is not the test's.
 *
 * Usage: fs_symlinks [--init] WITNESS LINK_SOURCE   (run in a writable working directory)
 */
#include "hostile.h"

#include <fcntl.h>

static void try_open(const char *step, const char *path, const char *witness)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        blocked(step, errno);
        return;
    }
    close(fd);
    worked(step, "opened %s, the host's %s", path, witness);
}

int main(int argc, char **argv)
{
    int init = argc == 4 && strcmp(argv[1], "--init") == 0;
    if (argc != 3 + init) {
        broken("usage", EINVAL);
    }
    const char *witness = argv[1 + init], *link_source = argv[2 + init];
    char path[8192], dots[4096] = "";
    for (int i = 0; i < 32; i++) {
        strcat(dots, "../");
    }

    unlink("abs-link");
    if (symlink(witness, "abs-link") < 0) {
        broken("symlink", errno);
    }
    try_open("absolute-symlink", "abs-link", witness);

    snprintf(path, sizeof path, "%s%s", dots, witness + 1);
    unlink("dots-link");
    if (symlink(path, "dots-link") < 0) {
        broken("symlink", errno);
    }
    try_open("dotdot-symlink", "dots-link", witness);
    try_open("dotdot-path", path, witness);

    snprintf(path, sizeof path, "/proc/self/root%s", witness);
    try_open("proc-self-root", path, witness);
    snprintf(path, sizeof path, "/proc/self/cwd/%s%s", dots, witness + 1);
    try_open("proc-self-cwd", path, witness);
    if (init) {
        snprintf(path, sizeof path, "/proc/1/root%s", witness);
        try_open("proc-init-root", path, witness);
        snprintf(path, sizeof path, "/proc/1/cwd/%s%s", dots, witness + 1);
        try_open("proc-init-cwd", path, witness);
    }

    unlink("hard-link");
    if (link(link_source, "hard-link") < 0) {
        blocked("hardlink", errno);
    } else {
        worked("hardlink", "%s is now reachable from the working directory", link_source);
        unlink("hard-link");
    }
    unlink("abs-link");
    unlink("dots-link");
    return verdict();
}
