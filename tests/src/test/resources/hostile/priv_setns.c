/*
 * Joins another process's namespaces with setns(2), through its links in /proc/PID/ns and through a
 * pidfd. Inside, PID is 1, the sandbox's init (whose namespaces would be the host's if the sandbox's
 * /proc were the host's); outside, a process the test started.
 *
 * Must fail inside: /proc/1 is the sandbox's init, not dumpable, so its namespace links need ptrace
 * access; the host's namespaces are in no path the sandbox can name; setns needs CAP_SYS_ADMIN over
 * the target namespace's owner (and the default seccomp filter answers EPERM). Outside, as root,
 * setns into the namespaces of the test's process works (they are the caller's own).
 *
 * Usage: priv_setns PID
 */
#include "hostile.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        broken("usage", EINVAL);
    }
    int pid = atoi(argv[1]);
    static const char *const kinds[] = { "mnt", "net", "pid", "ipc", "uts", "cgroup", "user", "time" };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char path[64], step[64];
        snprintf(path, sizeof path, "/proc/%d/ns/%s", pid, kinds[i]);
        snprintf(step, sizeof step, "setns:%s", kinds[i]);
        int fd = open(path, O_RDONLY);
        if (fd < 0) {
            blocked(step, errno);
            continue;
        }
        step_result(step, setns(fd, 0));
        close(fd);
    }
    long pidfd = syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0) {
        blocked("setns-pidfd", errno);
    } else {
        step_result("setns-pidfd", setns((int)pidfd, CLONE_NEWNET));
        close((int)pidfd);
    }
    return verdict();
}
