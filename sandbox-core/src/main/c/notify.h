/*
 * The denied-syscall report (docs/seccomp.md). The workload runs a copy of the profile's filter in
 * which every ERRNO and KILL_PROCESS return notifies instead; it hands the listener to the helper over
 * a socket, and the helper answers each notification as the profile's own filter decides (an error,
 * or SIGKILL for the process), never letting the call run, and counts what it refused.
 */
#ifndef SANDBOX_NOTIFY_H
#define SANDBOX_NOTIFY_H

#include "plan.h"

#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

/* Distinct (architecture, number, action) entries kept; later distinct ones are only counted. */
#define MAX_DENIED 64

struct denied {
    uint32_t arch;
    int32_t nr;
    uint32_t action;   /* the profile's SECCOMP_RET_* value */
    uint64_t args[6];  /* of the first occurrence */
    uint64_t count;
};

struct notifier {
    const struct plan *p;
    int report_fd;
    int sock;      /* helper's end of the socket the listener arrives on; -1 once closed */
    int listener;  /* the seccomp listener; -1 before it arrives and once it hung up */
    struct denied entries[MAX_DENIED];
    size_t n_entries;
    uint64_t dropped;  /* refusals not kept because MAX_DENIED distinct entries were full */
};

/* One byte with room for one descriptor (SCM_RIGHTS, unix(7)): how the listener travels. */
struct fd_message {
    char byte;
    struct iovec iov;
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int))];
    } control;
    struct msghdr msg;
};

/* Points m->msg at m's own byte and control buffer, zeroed. Async-signal-safe. */
void fd_message_init(struct fd_message *m);

/* Receives the listener (one SCM_RIGHTS message) or notes EOF; closes the socket either way. Returns -1
   (reported) when what arrived is not a seccomp listener: the helper then kills the run. */
int notifier_take_listener(struct notifier *n);

/*
 * Answers the pending notifications (up to a batch); on a hang-up of the listener, closes it. After poll
 * reports POLLIN, SECCOMP_IOCTL_NOTIF_RECV does not block: a notification whose task died meanwhile
 * leaves its count behind and the receive fails with ENOENT (kernel/seccomp.c seccomp_notify_recv).
 */
void notifier_serve(struct notifier *n, short revents);

/* "denied ARCH NR ACTION COUNT ARG0..ARG5" per entry, then "denied-dropped N" when some were dropped. */
void notifier_report(const struct notifier *n, int fd);

#endif
