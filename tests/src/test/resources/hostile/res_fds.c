/*
 * Descriptor exhaustion: raises its own RLIMIT_NOFILE as far as it may, then opens /dev/null until
 * open fails or it holds TARGET descriptors, and tries dup2 onto a descriptor number far above
 * the limit.
 *
 * Must fail inside: RLIMIT_NOFILE is set by the init while it is still privileged, soft and hard
 * (256 in default), and raising a hard limit needs CAP_SYS_RESOURCE, which the workload lacks; the
 * kernel's file table is never at risk. Outside, as root, it raises the limit and opens TARGET.
 *
 * Usage: res_fds TARGET [MARKER]   (MARKER only marks the process for the test's /proc scan)
 */
#include "hostile.h"

#include <fcntl.h>
#include <sys/resource.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        broken("usage", EINVAL);
    }
    long target = atol(argv[1]);
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    struct rlimit raised = { (rlim_t)target + 64, (rlim_t)target + 64 };
    if (raised.rlim_max > rl.rlim_max && setrlimit(RLIMIT_NOFILE, &raised) < 0) {
        blocked("raise-limit", errno);
        raised.rlim_cur = raised.rlim_max = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &raised);
    } else {
        note("raise-limit", "%ld", (long)raised.rlim_max);
    }
    long open_fds = 0;
    int err = 0;
    while (open_fds < target) {
        if (open("/dev/null", O_RDONLY) < 0) {
            err = errno;
            break;
        }
        open_fds++;
    }
    printf("note opened %ld\n", open_fds);
    if (open_fds >= target) {
        worked("open", "%ld descriptors", open_fds);
    } else {
        blocked("open", err);
    }
    if (dup2(0, (int)target + 32) >= 0) {
        note("dup2-high", "fd %ld", target + 32);
    } else {
        blocked("dup2-high", errno);
    }
    return verdict();
}
