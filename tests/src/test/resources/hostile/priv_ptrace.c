/*
 * Reaches into another process's memory and descriptors: ptrace attach, /proc/PID/mem,
 * process_vm_readv and pidfd_getfd, against each pid given (the sandbox's init, which runs without
 * the seccomp filter; the workload of another sandbox; a process of the host), and ptrace of its own
 * child (the syscall itself; on old kernels ptrace could step around a seccomp filter).
 *
 * Must fail inside: the init is not dumpable, so every access mode needs CAP_SYS_PTRACE over its
 * memory's user namespace, which the workload lacks; processes outside the sandbox's pid namespace
 * have no pid in it (ESRCH) or, when a number happens to match, are the sandbox's own; the default
 * seccomp filter answers EPERM to ptrace, process_vm_readv and process_vm_writev, and ENOSYS to
 * pidfd_getfd. Outside, as root, every step works against a process of the test.
 *
 * Usage: priv_ptrace PID...   or   priv_ptrace --own-child
 */
#include "hostile.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

static void attack(pid_t pid)
{
    char step[64];
    snprintf(step, sizeof step, "attach:%d", pid);
    if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) < 0) {
        blocked(step, errno);
    } else {
        worked(step, "attached");
        waitpid(pid, NULL, __WALL);
        ptrace(PTRACE_DETACH, pid, NULL, NULL);
    }

    snprintf(step, sizeof step, "mem:%d", pid);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/mem", pid);
    int fd = open(path, O_RDONLY);
    if (step_result(step, fd)) {
        close(fd);
    }

    /* The permission check comes before the addresses are looked at: EFAULT means access granted. */
    snprintf(step, sizeof step, "vm_readv:%d", pid);
    char buf[8];
    struct iovec local = { buf, sizeof buf }, remote = { (void *)0x10000, sizeof buf };
    ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
    if (n >= 0 || errno == EFAULT) {
        worked(step, "read access granted");
    } else {
        blocked(step, errno);
    }

    snprintf(step, sizeof step, "getfd:%d", pid);
    long pidfd = syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0) {
        blocked(step, errno);
    } else {
        long stolen = syscall(SYS_pidfd_getfd, (int)pidfd, 0, 0);
        if (step_result(step, stolen)) {
            close((int)stolen);
        }
        close((int)pidfd);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        broken("usage", EINVAL);
    }
    if (strcmp(argv[1], "--own-child") != 0) {
        for (int i = 1; i < argc; i++) {
            attack((pid_t)atoi(argv[i]));
        }
        return verdict();
    }
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    if (ptrace(PTRACE_ATTACH, child, NULL, NULL) < 0) {
        blocked("attach-own-child", errno);
    } else {
        worked("attach-own-child", "the ptrace syscall is available");
        waitpid(child, NULL, __WALL);
        ptrace(PTRACE_DETACH, child, NULL, NULL);
    }
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    return verdict();
}
