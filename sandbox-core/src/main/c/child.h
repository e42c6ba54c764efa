#ifndef SANDBOX_CHILD_H
#define SANDBOX_CHILD_H

#include "plan.h"

struct child_fds {
    int release;   /* read end: one byte from the helper once ids and cgroups are set */
    int status;    /* write end: report lines to the helper */
    int out;       /* write end of the stdout relay pipe */
    int err;       /* write end of the stderr relay pipe */
    int gate;      /* read end: the runner's answer to the reported state, relayed by the helper */
    int notify;    /* socket the workload sends its seccomp listener on (denied-syscall report), or -1 */
};

/* The sandbox's init (pid 1 of the new pid namespace). Never returns. */
void child_main(const struct plan *p, const struct child_fds *fds) __attribute__((noreturn));

#endif
