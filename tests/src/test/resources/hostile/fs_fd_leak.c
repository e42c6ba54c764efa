/*
 * The CVE-2024-21626 class: a descriptor of the runtime (a host directory, the cgroup filesystem, the
 * runtime's own files) left open into the workload lets it walk out with openat(fd, "../../..").
 * Looks at every descriptor it holds, walks up from every directory among them, and tries the init's
 * descriptors through /proc/1/fd.
 *
 * Must fail inside: the workload closes every descriptor but 0, 1 and 2 (close_range) before exec,
 * and those are /dev/null and two pipes; every pipe the runner makes is close-on-exec. /proc/1/fd
 * needs ptrace access to the init, refused because it is not dumpable. Outside, a shell that leaves a
 * directory open (exec 7< DIR) shows the same walk reaching the witness. The init's descriptors are
 * only tried inside (--init): outside, pid 1 is not the test's.
 *
 * Usage: fs_fd_leak [--init] WITNESS
 */
#include "hostile.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>

static void walk_from(int fd, const char *what, const char *witness)
{
    char rel[8192] = "", step[128];
    for (int i = 0; i < 32; i++) {
        strcat(rel, "../");
    }
    strcat(rel, witness + 1);
    snprintf(step, sizeof step, "walk:%s", what);
    int w = openat(fd, rel, O_RDONLY);
    if (w < 0) {
        blocked(step, errno);
        return;
    }
    close(w);
    worked(step, "reached %s", witness);
}

int main(int argc, char **argv)
{
    int init = argc == 3 && strcmp(argv[1], "--init") == 0;
    if (argc != 2 + init) {
        broken("usage", EINVAL);
    }
    const char *witness = argv[argc - 1];
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    int max = rl.rlim_cur > 65536 ? 65536 : (int)rl.rlim_cur;
    int leaks = 0;
    for (int fd = 0; fd < max; fd++) {
        if (fcntl(fd, F_GETFD) < 0) {
            continue;
        }
        char link[64], target[4096] = "?", what[64];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n >= 0) {
            target[n] = '\0';
        }
        if (fd > 2) {
            worked("leaked-fd", "%d -> %s", fd, target);
            leaks++;
        }
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
            snprintf(what, sizeof what, "fd%d", fd);
            walk_from(fd, what, witness);
        }
    }
    if (leaks == 0) {
        refused("leaked-fd", "none");
    }

    if (!init) {
        return verdict();
    }
    DIR *d = opendir("/proc/1/fd");
    if (d == NULL) {
        blocked("init-fds", errno);
    } else {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.') {
                continue;
            }
            char path[300], what[300];
            snprintf(path, sizeof path, "/proc/1/fd/%s", e->d_name);
            int fd = open(path, O_RDONLY | O_DIRECTORY);
            if (fd >= 0) {
                snprintf(what, sizeof what, "init-fd%s", e->d_name);
                walk_from(fd, what, witness);
                close(fd);
            } else if (errno != ENOTDIR) {
                blocked("init-fd", errno);
            }
        }
        closedir(d);
        worked("init-fds", "listed /proc/1/fd");
    }
    return verdict();
}
