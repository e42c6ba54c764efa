/*
 * The fork server: how the runner starts its native stage. The runner (a JVM, which must not fork)
 * spawns this program once per worker and keeps it; each run's helper is then a clone of this small,
 * single-threaded, already-started process instead of a posix_spawn and execve of a fresh one.
 *
 * Descriptors: 0-2 /dev/null, 3 a SOCK_SEQPACKET socket whose other end only the runner holds.
 * Request: one message whose data is a count n and n target numbers (int32, native order) and whose
 * SCM_RIGHTS carries n descriptors in the same order. The server clones the helper; the helper puts
 * each descriptor at its number, closes every other, and runs one launch (helper_run, helper.c) with
 * exactly the descriptors a spawned helper had. The server waits for it and replies with one int32:
 * its wait status, or -errno when the request could not be served. EOF on the socket (the runner
 * closed it, or died) ends the server.
 *
 * The helper runs in the server's memory, on a stack of its own, while the server is suspended
 * (clone(CLONE_VM|CLONE_VFORK), as glibc's posix_spawn starts its child, but for the whole launch):
 * no page tables copied, no copy-on-write fault for each page the helper writes, no address space to
 * tear down when it ends. On this project's machine a child that writes 40 pages and forks once costs
 * 1.85 ms started by fork and 1.40 ms this way (bench/forkcost helper-fork, helper-vm). Its descriptor table, signal
 * actions, priority and children are its own (no CLONE_FILES, CLONE_SIGHAND or CLONE_THREAD). The price
 * is that the memory is the next launch's too: helper_run sets every piece of state it uses before it
 * reads it (plan_clear, the supervisor's fields, report_hold) and scrubs the plan and the relayed
 * output before it returns, so nothing of one run is left for the next.
 */
#define _GNU_SOURCE
#include "helper.h"

#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define FD_SOCKET 3
/* The helper's six descriptors and a few inherited mounts: more is a malformed request. */
#define MAX_FDS 16
/* Numbers the runner may ask for: the helper's 0-5 and mounts from 6 (NativeLauncher.FIRST_INHERITED_FD). */
#define MAX_TARGET 63

struct request {
    int n;
    int32_t targets[MAX_FDS];
    int fds[MAX_FDS];
};

static void close_all(const struct request *r)
{
    for (int i = 0; i < r->n; i++) {
        close(r->fds[i]);
    }
}

/* Receives one request; 1 when one came, 0 at EOF or when the socket failed (the runner is gone),
   -EINVAL when a message was malformed (its descriptors are closed). */
static int receive(struct request *r)
{
    int32_t data[1 + MAX_FDS];
    union {
        char buf[CMSG_SPACE(sizeof(int) * MAX_FDS)];
        struct cmsghdr align;
    } control;
    struct iovec iov = { data, sizeof data };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                          .msg_controllen = sizeof control.buf };
    ssize_t len;
    do {
        len = recvmsg(FD_SOCKET, &msg, MSG_CMSG_CLOEXEC);
    } while (len < 0 && errno == EINTR);
    if (len <= 0) {
        return 0;
    }
    r->n = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
            continue;
        }
        int count = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        for (int i = 0; i < count; i++) {
            int fd;
            memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
            if (r->n < MAX_FDS) {
                r->fds[r->n++] = fd;
            } else {
                close(fd);
            }
        }
    }
    int bad = (msg.msg_flags & (MSG_CTRUNC | MSG_TRUNC)) != 0 || len < (ssize_t)sizeof(int32_t)
              || data[0] != r->n || len != (ssize_t)(sizeof(int32_t) * (size_t)(1 + r->n));
    for (int i = 0; i < r->n && !bad; i++) {
        r->targets[i] = data[1 + i];
        bad = r->targets[i] < 0 || r->targets[i] > MAX_TARGET;
        for (int j = 0; j < i && !bad; j++) {
            bad = r->targets[j] == r->targets[i];
        }
    }
    if (bad) {
        close_all(r);
        return -EINVAL;
    }
    return 1;
}

static int is_target(const struct request *r, int fd)
{
    for (int i = 0; i < r->n; i++) {
        if (r->targets[i] == fd) {
            return 1;
        }
    }
    return 0;
}

/*
 * In the child: every descriptor at its number and nothing else open. Each is first copied above
 * every number in play, so that no dup2 onto a target can close a descriptor not yet placed.
 */
static int place(const struct request *r)
{
    int above = FD_SOCKET;
    for (int i = 0; i < r->n; i++) {
        above = r->fds[i] > above ? r->fds[i] : above;
        above = r->targets[i] > above ? r->targets[i] : above;
    }
    int parked[MAX_FDS];
    for (int i = 0; i < r->n; i++) {
        parked[i] = fcntl(r->fds[i], F_DUPFD_CLOEXEC, above + 1);
        if (parked[i] < 0) {
            return -1;
        }
    }
    int highest = 0;
    for (int i = 0; i < r->n; i++) {
        /* dup2 leaves the new number without close-on-exec, as posix_spawn's dup2 action did. */
        if (dup2(parked[i], r->targets[i]) < 0) {
            return -1;
        }
        highest = r->targets[i] > highest ? r->targets[i] : highest;
    }
    for (int fd = 0; fd < highest; fd++) {
        if (!is_target(r, fd)) {
            close(fd);
        }
    }
    return (int)syscall(SYS_close_range, (unsigned)highest + 1, ~0u, 0u);
}

/* The helper's stack: far more than its deepest frames need, over a guard page that faults instead of
   letting an overflow write into the server's memory. */
#define HELPER_STACK (1u << 20)
#define GUARD 4096u

static int helper_entry(void *arg)
{
    _exit(place(arg) < 0 ? 125 : helper_run());
}

static void reply(int32_t value)
{
    /* MSG_NOSIGNAL: a runner that died must end this server through EOF, not SIGPIPE mid-reply. */
    (void)!send(FD_SOCKET, &value, sizeof value, MSG_NOSIGNAL);
}

int main(void)
{
    static struct request r;
    char *stack = mmap(NULL, HELPER_STACK + GUARD, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK,
                       -1, 0);
    if (stack == MAP_FAILED || mprotect(stack, GUARD, PROT_NONE) < 0) {
        return 125; /* the runner sees the socket close without an answer */
    }
    for (;;) {
        int got = receive(&r);
        if (got == 0) {
            return 0;
        }
        if (got < 0) {
            reply(got);
            continue;
        }
        /* Returns once the helper has exited: the launch is over. */
        pid_t pid = clone(helper_entry, stack + GUARD + HELPER_STACK, CLONE_VM | CLONE_VFORK | SIGCHLD, &r);
        int saved = errno;
        close_all(&r);
        if (pid < 0) {
            reply(-saved);
            continue;
        }
        int status;
        while (waitpid(pid, &status, 0) < 0) {
            if (errno != EINTR) {
                status = -errno;
                break;
            }
        }
        reply(status);
    }
}
