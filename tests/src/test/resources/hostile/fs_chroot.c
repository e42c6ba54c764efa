/*
 * The chroot double escape: chroot into a subdirectory while keeping the working directory outside
 * it, walk up with "..", and chroot(".") at the top. It reaches the real root when the caller may
 * chroot, because chroot(2) does not move the working directory. Tried directly, then again inside
 * a new user namespace (where the caller would hold CAP_SYS_CHROOT over its own namespace).
 *
 * Must fail inside: the workload holds no CAP_SYS_CHROOT (and the default seccomp filter does not
 * allow chroot or new user namespaces); and even a breakout only reaches the sandbox's root, because
 * the host's root was detached after pivot_root (umount2(".", MNT_DETACH)) and is in no path any
 * more. A witness file the test left on the host, outside the sandbox's view, tells them apart.
 *
 * Usage: fs_chroot WITNESS   (run with a writable working directory)
 */
#include "hostile.h"

#include <sched.h>
#include <sys/stat.h>
#include <sys/wait.h>

static void breakout(const char *prefix, const char *witness)
{
    char step[64];
    snprintf(step, sizeof step, "%s-chroot", prefix);
    if (mkdir("jail", 0755) < 0 && errno != EEXIST) {
        broken("mkdir", errno);
    }
    if (chroot("jail") < 0) {
        blocked(step, errno);
        return;
    }
    note(step, "chroot(jail) accepted");
    /* The working directory is still outside the new root: walk up past it, then take the top. */
    for (int i = 0; i < 64; i++) {
        if (chdir("..") < 0) {
            break;
        }
    }
    snprintf(step, sizeof step, "%s-breakout", prefix);
    if (chroot(".") < 0) {
        blocked(step, errno);
    } else if (can_open(witness)) {
        worked(step, "reached the host root: %s", witness);
    } else {
        refused(step, "contained");
    }
}

static void in_child(void (*fn)(const char *), const char *witness)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        broken("fork", errno);
    }
    if (pid == 0) {
        fn(witness);
        exit(verdict());
    }
    int ws;
    waitpid(pid, &ws, 0);
    count_child(ws);
}

static void direct(const char *witness)
{
    breakout("direct", witness);
}

static void via_userns(const char *witness)
{
    if (unshare(CLONE_NEWUSER) < 0) {
        blocked("userns-unshare", errno);
        return;
    }
    note("userns-unshare", "a new user namespace was created");
    breakout("userns", witness);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        broken("usage", EINVAL);
    }
    if (can_open(argv[1])) {
        worked("visible", "the witness is in plain sight: %s", argv[1]);
    }
    in_child(direct, argv[1]);
    in_child(via_userns, argv[1]);
    return verdict();
}
