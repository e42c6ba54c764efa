#define _GNU_SOURCE
#include "notify.h"

#include "bpf.h"
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

/* The kernel's name for a listener (kernel/seccomp.c init_listener: anon_inode "seccomp notify"). */
static const char listener_link[] = "anon_inode:seccomp notify";

static int is_listener(int fd)
{
    char path[48], digits[24], target[64];
    u64_text(digits, (uint64_t)fd);
    if (str_join(path, sizeof path, "/proc/self/fd/", digits) < 0) {
        return 0;
    }
    ssize_t len = readlink(path, target, sizeof target - 1);
    if (len < 0) {
        return 0;
    }
    target[len] = '\0';
    return str_eq(target, listener_link);
}

void fd_message_init(struct fd_message *m)
{
    memset(m, 0, sizeof *m);
    m->iov.iov_base = &m->byte;
    m->iov.iov_len = 1;
    m->msg.msg_iov = &m->iov;
    m->msg.msg_iovlen = 1;
    m->msg.msg_control = m->control.buf;
    m->msg.msg_controllen = sizeof m->control.buf;
}

int notifier_take_listener(struct notifier *n)
{
    struct fd_message m;
    fd_message_init(&m);
    ssize_t r;
    do {
        r = recvmsg(n->sock, &m.msg, MSG_CMSG_CLOEXEC);
    } while (r < 0 && errno == EINTR);
    close(n->sock);
    n->sock = -1;
    struct cmsghdr *c = r > 0 ? CMSG_FIRSTHDR(&m.msg) : NULL;
    if (c == NULL || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS
            || c->cmsg_len != CMSG_LEN(sizeof(int)) || (m.msg.msg_flags & MSG_CTRUNC)) {
        /* No listener: the workload failed before it sent one, and it execs only after a successful
           send (child.c load_seccomp), so nothing of it runs; the init reports why. */
        return 0;
    }
    int fd;
    memcpy(&fd, CMSG_DATA(c), sizeof fd);
    if (!is_listener(fd)) {
        close(fd);
        report_fail(n->report_fd, "denied-report", EBADF, "the descriptor received is not a seccomp listener");
        return -1;
    }
    n->listener = fd;
    return 0;
}

static void count(struct notifier *n, const struct seccomp_notif *req, uint32_t action)
{
    for (size_t i = 0; i < n->n_entries; i++) {
        struct denied *e = &n->entries[i];
        if (e->arch == req->data.arch && e->nr == req->data.nr && e->action == action) {
            e->count++;
            return;
        }
    }
    if (n->n_entries == MAX_DENIED) {
        n->dropped++;
        return;
    }
    struct denied *e = &n->entries[n->n_entries++];
    e->arch = req->data.arch;
    e->nr = req->data.nr;
    e->action = action;
    memcpy(e->args, req->data.args, sizeof e->args);
    e->count = 1;
}

/* Answers the notification poll said is pending (notify.h). */
static void serve_one(struct notifier *n)
{
    struct seccomp_notif req;
    memset(&req, 0, sizeof req); /* the kernel refuses a buffer that is not zeroed */
    if (ioctl(n->listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
        /* ENOENT: the task died (a signal) between poll and receive; nothing to answer. */
        return;
    }
    uint32_t action = bpf_run(n->p->seccomp_report, n->p->seccomp_report_len / sizeof(struct sock_filter), &req.data);
    struct seccomp_notif_resp resp;
    memset(&resp, 0, sizeof resp);
    resp.id = req.id;
    if ((action & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO) {
        /* As the kernel clamps it (kernel/seccomp.c __seccomp_filter): at most MAX_ERRNO. */
        uint32_t err = action & SECCOMP_RET_DATA;
        resp.error = -(int32_t)(err > 4095 ? 4095 : err);
    } else {
        /* KILL_PROCESS, or anything the copy could not have notified for: end the process. A task
           waiting for a notification's answer dies on SIGKILL without running the call. */
        action = SECCOMP_RET_KILL_PROCESS;
        kill((pid_t)req.pid, SIGKILL);
        resp.error = -EPERM;
    }
    count(n, &req, action);
    /* Fails with ENOENT when the task was killed meanwhile: nothing is waiting any more. */
    (void)ioctl(n->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

/* At most this many notifications are answered per wake-up, so the limits are still checked often. */
#define SERVE_BATCH 64

void notifier_serve(struct notifier *n, short revents)
{
    if (!(revents & POLLIN)) {
        /* POLLHUP: every task of the filter is gone; POLLERR: the listener broke. */
        close(n->listener);
        n->listener = -1;
        return;
    }
    /* Threads refused at once queue up: answer what is pending without a round through the
       supervisor's whole loop for each (a poll with no wait says whether more is pending; the receive
       never blocks after it, see notify.h). */
    for (int i = 0; i < SERVE_BATCH; i++) {
        serve_one(n);
        struct pollfd more = { n->listener, POLLIN, 0 };
        if (poll(&more, 1, 0) != 1 || !(more.revents & POLLIN)) {
            return;
        }
    }
}

void notifier_report(const struct notifier *n, int fd)
{
    struct line l;
    for (size_t i = 0; i < n->n_entries; i++) {
        const struct denied *e = &n->entries[i];
        line_start(&l, "denied");
        line_u64(&l, e->arch);
        line_u64(&l, (uint32_t)e->nr);
        line_u64(&l, e->action);
        line_u64(&l, e->count);
        for (int a = 0; a < 6; a++) {
            line_hex(&l, e->args[a]);
        }
        line_send(&l, fd);
    }
    if (n->dropped > 0) {
        line_start(&l, "denied-dropped");
        line_u64(&l, n->dropped);
        line_send(&l, fd);
    }
}
