/*
 * One launch of the native stage. The runner (a JVM, multithreaded, so it must not fork or unshare)
 * has the fork server (server.c) start a single-threaded process that runs this, in the server's
 * memory, with these descriptors:
 *
 *   0  the workload's stdin             3  the launch plan (read to EOF)
 *   1  where the workload's stdout goes 4  report lines to the runner (the only writer is this process)
 *   2  where the workload's stderr goes 5  lifeline: the runner holds the write end; EOF means it died;
 *                                          its one byte is the runner's answer to the reported state
 *
 * It clones the sandbox's init into new namespaces, places it in the run's cgroups and writes its id
 * maps before releasing it, then supervises: relays stdout/stderr with a byte cap, enforces the wall
 * and CPU limits, kills the whole pid namespace when a limit fires or the runner dies, and reports.
 * It decides nothing: every value comes from the plan.
 */
#define _GNU_SOURCE
#include "helper.h"
#include "child.h"
#include "mounts.h"
#include "notify.h"
#include "plan.h"
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FD_PLAN 3
#define FD_REPORT 4
#define FD_LIFELINE 5

static uint64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static char *read_plan(size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        if (n == cap) {
            if (cap >= MAX_PLAN_BYTES) {
                free(buf);
                errno = EFBIG;
                return NULL;
            }
            cap *= 2;
            char *bigger = realloc(buf, cap);
            if (bigger == NULL) {
                free(buf);
                return NULL;
            }
            buf = bigger;
        }
        ssize_t r = read(FD_PLAN, buf + n, cap - n);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            free(buf);
            return NULL;
        }
        if (r == 0) {
            *len = n;
            return buf;
        }
        n += (size_t)r;
    }
    return NULL;
}

static int write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    size_t len = str_len(text);
    ssize_t n = write(fd, text, len);
    int saved = errno;
    close(fd);
    if (n != (ssize_t)len) {
        errno = n < 0 ? saved : EIO;
        return -1;
    }
    return 0;
}

/*
 * The child's cgroups as the host sees them, one "state cgroup LINE" per line of /proc/PID/cgroup
 * (cgroups(7): hierarchy-ID:controllers:path), read here, outside any cgroup namespace, right after
 * the placement: inside its cgroup namespace the init would see only "/". The runner compares the
 * paths with the leaf it created.
 */
static int report_cgroups(const char *dir)
{
    char path[64], buf[4096];
    int fd = -1;
    ssize_t n = -1;
    if (str_join(path, sizeof path, dir, "/cgroup") == 0 && (fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
        n = read(fd, buf, sizeof buf - 1);
    }
    int saved = errno;
    if (fd >= 0) {
        close(fd);
    }
    if (n < 0 || n == (ssize_t)sizeof buf - 1) {
        report_fail(FD_REPORT, "cgroup", n < 0 ? saved : EFBIG, "/proc/PID/cgroup");
        return -1;
    }
    buf[n] = '\0';
    char *save = NULL;
    for (char *line = strtok_r(buf, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        struct line l;
        line_start(&l, "state cgroup");
        line_word(&l, line);
        line_send(&l, FD_REPORT);
    }
    return 0;
}

/* Parent side of the set-up: cgroups, then setgroups/uid_map/gid_map (user_namespaces(7): setgroups
   must be written before gid_map by an unprivileged writer). Returns 0, or -1 after reporting. */
static int prepare_child(const struct plan *p, pid_t pid)
{
    char pidstr[24], path[64], dir[48];
    u64_text(pidstr, (uint64_t)pid);
    for (size_t i = 0; i < p->n_cgroups; i++) {
        if (write_file(p->cgroup_procs[i], pidstr) < 0) {
            report_fail(FD_REPORT, "cgroup", errno, p->cgroup_procs[i]);
            return -1;
        }
    }
    if (str_join(dir, sizeof dir, "/proc/", pidstr) < 0) {
        report_fail(FD_REPORT, "idmap", ENAMETOOLONG, pidstr);
        return -1;
    }
    if (p->n_cgroups > 0) {
        report_step(FD_REPORT, "cgroup");
    }
    if (report_cgroups(dir) < 0) {
        return -1;
    }
    if (p->setgroups_deny) {
        if (str_join(path, sizeof path, dir, "/setgroups") < 0 || write_file(path, "deny") < 0) {
            report_fail(FD_REPORT, "idmap", errno, "setgroups");
            return -1;
        }
    }
    if (str_join(path, sizeof path, dir, "/uid_map") < 0 || write_file(path, p->uid_map) < 0) {
        report_fail(FD_REPORT, "idmap", errno, "uid_map");
        return -1;
    }
    if (str_join(path, sizeof path, dir, "/gid_map") < 0 || write_file(path, p->gid_map) < 0) {
        report_fail(FD_REPORT, "idmap", errno, "gid_map");
        return -1;
    }
    report_step(FD_REPORT, "idmap");
    return 0;
}

/* ---- supervision ----------------------------------------------------------------------------- */

#define RELAY_BUF (64 * 1024)
/* A pipe or terminal that polls writable takes at least one page without blocking (pipe(7)). */
#define RELAY_CHUNK 4096

struct relay {
    int from;        /* read end of the workload's pipe, -1 at EOF */
    int to;          /* destination descriptor (1 or 2) */
    char buf[RELAY_BUF];
    size_t start, end;
    size_t used;     /* how much of buf this launch wrote, scrubbed at its end */
    int broken;      /* the destination is gone (EPIPE): keep draining, count, discard */
};

struct supervisor {
    const struct plan *p;
    pid_t pid;
    int pidfd;
    int status_from;
    char status_buf[LINE_MAX_BYTES];
    size_t status_len;
    struct relay out, err;
    uint64_t output_bytes;
    uint64_t exec_at, exited_at;
    int exited;
    int pid1_status;
    const char *limit;
    int cpu_fd;
    long ncpus;
    int lifeline_open;
    int gate;        /* write end of the init's gate pipe until the runner's answer is relayed, else -1 */
    struct notifier denied;
};

/* Largest number of the run's processes signalled one by one; past it the namespace's end kills the rest. */
#define KILL_MEMBERS_MAX 4096

/* Reads the pids listed in a cgroup.procs file; returns how many, or -1. */
static ssize_t read_members(const char *procs, pid_t *pids, size_t max)
{
    int fd = open(procs, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    char buf[4096];
    size_t n = 0;
    uint64_t v = 0;
    int in_number = 0;
    ssize_t r;
    while ((r = read(fd, buf, sizeof buf)) > 0 || (r < 0 && errno == EINTR)) {
        for (ssize_t i = 0; i < r; i++) {
            if (buf[i] >= '0' && buf[i] <= '9') {
                v = v * 10 + (uint64_t)(buf[i] - '0');
                in_number = 1;
            } else if (in_number) {
                if (n < max) {
                    pids[n++] = (pid_t)v;
                }
                v = 0;
                in_number = 0;
            }
        }
    }
    close(fd);
    return r < 0 ? -1 : (ssize_t)n;
}

/*
 * Kills every process of the run's cgroup at once. Killing the init alone is not prompt: the kernel
 * kills the rest of the namespace only when the init has run its own exit (zap_pid_ns_processes), and
 * until then a busy workload keeps burning CPU (1-6 ms measured here). A pid read from cgroup.procs
 * may be reused once its process is reaped, so each is pinned by a pidfd first and signalled only if
 * the cgroup still lists it after the pinning: a recycled pid would belong to a process outside it.
 */
static void kill_members(const struct supervisor *s)
{
    if (s->p->n_cgroups == 0) {
        return;
    }
    static pid_t before[KILL_MEMBERS_MAX], after[KILL_MEMBERS_MAX];
    static int pidfds[KILL_MEMBERS_MAX];
    ssize_t n = read_members(s->p->cgroup_procs[0], before, KILL_MEMBERS_MAX);
    for (ssize_t i = 0; i < n; i++) {
        pidfds[i] = (int)syscall(SYS_pidfd_open, before[i], 0);
    }
    ssize_t m = n > 0 ? read_members(s->p->cgroup_procs[0], after, KILL_MEMBERS_MAX) : -1;
    for (ssize_t i = 0; i < n; i++) {
        if (pidfds[i] < 0) {
            continue;
        }
        for (ssize_t j = 0; j < m; j++) {
            if (after[j] == before[i]) {
                syscall(SYS_pidfd_send_signal, pidfds[i], SIGKILL, NULL, 0);
                break;
            }
        }
        close(pidfds[i]);
    }
}

static void kill_run(struct supervisor *s, const char *why)
{
    if (s->limit == NULL) {
        s->limit = why;
    }
    if (!s->exited) {
        /* Killing pid 1 of the namespace kills every process in it (pid_namespaces(7)). */
        syscall(SYS_pidfd_send_signal, s->pidfd, SIGKILL, NULL, 0);
        kill_members(s);
    }
}

static void forward_status(struct supervisor *s)
{
    ssize_t n = read(s->status_from, s->status_buf + s->status_len, sizeof s->status_buf - s->status_len);
    if (n < 0 && errno == EINTR) {
        return;
    }
    if (n <= 0) {
        close(s->status_from);
        s->status_from = -1;
        return;
    }
    s->status_len += (size_t)n;
    /* Every complete line read goes on in one write (at most PIPE_BUF bytes, so atomic): the init's
       state report arrives in one piece and wakes the runner once, not once per line. */
    size_t whole = 0;
    char *nl;
    while ((nl = memchr(s->status_buf + whole, '\n', s->status_len - whole)) != NULL) {
        size_t len = (size_t)(nl - (s->status_buf + whole)) + 1;
        if (len == 10 && memcmp(s->status_buf + whole, "step exec\n", 10) == 0) {
            s->exec_at = now_us();
        }
        whole += len;
    }
    if (whole > 0) {
        (void)!write(FD_REPORT, s->status_buf, whole);
        memmove(s->status_buf, s->status_buf + whole, s->status_len - whole);
        s->status_len -= whole;
    }
    if (s->status_len == sizeof s->status_buf) {
        s->status_len = 0; /* a line longer than any the init writes: drop it rather than stall */
    }
}

/*
 * Every field but the buffer, which is written before it is read: zeroing it (as an assignment of a
 * whole struct does) touches 16 pages per relay, and a first touch of a page is a page fault of
 * 10-35 us on this project's machine, for a run that may print nothing. The launch scrubs what it
 * used of the buffer when it ends.
 */
static void relay_init(struct relay *r, int from, int to)
{
    r->from = from;
    r->to = to;
    r->start = r->end = r->used = 0;
    r->broken = 0;
}

static void relay_read(struct supervisor *s, struct relay *r)
{
    ssize_t n = read(r->from, r->buf, sizeof r->buf);
    if (n < 0 && errno == EINTR) {
        return;
    }
    if (n <= 0) {
        close(r->from);
        r->from = -1;
        return;
    }
    r->used = (size_t)n > r->used ? (size_t)n : r->used;
    uint64_t allowed = s->p->output_limit > s->output_bytes ? s->p->output_limit - s->output_bytes : 0;
    s->output_bytes += (uint64_t)n;
    r->start = 0;
    r->end = (uint64_t)n < allowed ? (size_t)n : (size_t)allowed;
    if ((uint64_t)n > allowed) {
        kill_run(s, "output");
    }
    if (r->broken) {
        r->end = 0;
    }
}

static void relay_write(struct relay *r)
{
    size_t len = r->end - r->start < RELAY_CHUNK ? r->end - r->start : RELAY_CHUNK;
    ssize_t n = write(r->to, r->buf + r->start, len);
    if (n < 0 && errno == EINTR) {
        return;
    }
    if (n < 0) {
        r->broken = 1;
        r->start = r->end = 0;
        return;
    }
    r->start += (size_t)n;
    if (r->start == r->end) {
        r->start = r->end = 0;
    }
}

/* The run's CPU time in microseconds; -1 when the usage file cannot be read or parsed. */
static int cpu_usage_us(struct supervisor *s, uint64_t *out)
{
    char buf[512];
    ssize_t n = pread(s->cpu_fd, buf, sizeof buf - 1, 0);
    if (n <= 0) {
        return -1;
    }
    buf[n] = '\0';
    const char *digits = buf;
    if (s->p->cpu_format == CPU_FORMAT_CPU_STAT) {
        digits = strstr(buf, "usage_usec ");
        if (digits == NULL) {
            return -1;
        }
        digits += 11;
    }
    char *end;
    errno = 0;
    uint64_t v = strtoull(digits, &end, 10);
    if (end == digits || errno != 0) {
        return -1;
    }
    *out = s->p->cpu_format == CPU_FORMAT_NANOSECONDS ? v / 1000u : v;
    return 0;
}

/* The shortest wait between two looks at the CPU figure, in microseconds: the last approach. */
#define CPU_CHECK_MIN_US 100

/*
 * When to look at the CPU figure again: the first moment the run could reach its limit, which is when
 * every CPU has burned its share of what remains (the run cannot use more CPUs than are online). A
 * single busy thread on n CPUs is thus looked at after remaining/n, then again after what is left over
 * n, and so on: the looks close in geometrically and the last one falls within CPU_CHECK_MIN_US of the
 * limit, instead of a fixed poll that is either coarse or busy.
 */
static int64_t cpu_next_check_us(uint64_t remaining_us, long ncpus)
{
    uint64_t next = remaining_us / (uint64_t)ncpus;
    return next < CPU_CHECK_MIN_US ? CPU_CHECK_MIN_US : (int64_t)next;
}

/* Enforces wall and CPU limits; returns how long poll may sleep, in microseconds (-1: forever). */
static int64_t check_limits(struct supervisor *s)
{
    if (s->exited || s->exec_at == 0) {
        return -1;
    }
    int64_t sleep_us = -1;
    uint64_t now = now_us();
    if (s->p->wall_limit_us != 0) {
        uint64_t deadline = s->exec_at + s->p->wall_limit_us;
        if (now >= deadline) {
            kill_run(s, "wall");
            return -1;
        }
        sleep_us = (int64_t)(deadline - now);
    }
    if (s->cpu_fd >= 0) {
        uint64_t used;
        if (cpu_usage_us(s, &used) < 0) {
            /* Without the figure the CPU limit cannot be enforced: stop the run (fail closed). */
            kill_run(s, "cpu-watch");
            return -1;
        }
        if (used >= s->p->cpu_limit_us) {
            kill_run(s, "cpu");
            return -1;
        }
        int64_t next = cpu_next_check_us(s->p->cpu_limit_us - used, s->ncpus);
        sleep_us = sleep_us < 0 || next < sleep_us ? next : sleep_us;
    }
    return sleep_us;
}

static void reap(struct supervisor *s)
{
    siginfo_t info;
    memset(&info, 0, sizeof info);
    if (waitid(P_PID, (id_t)s->pid, &info, WEXITED | WNOHANG) == 0 && info.si_pid == s->pid) {
        s->exited = 1;
        s->exited_at = now_us();
        s->pid1_status = info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
        close(s->pidfd);
        s->pidfd = -1;
    }
}

/*
 * The lifeline carries one byte, the runner's answer to the state the init reported, which goes on
 * to the init unchanged; EOF (or an error) means the runner is gone (even by SIGKILL): no one would
 * ever collect this run.
 */
static void lifeline(struct supervisor *s)
{
    char answer;
    ssize_t n = read(FD_LIFELINE, &answer, 1);
    if (n < 0 && errno == EINTR) {
        return;
    }
    if (n == 1) {
        if (s->gate >= 0) {
            (void)!write(s->gate, &answer, 1);
            close(s->gate);
            s->gate = -1;
        }
        return;
    }
    s->lifeline_open = 0;
    kill_run(s, "runner-gone");
}

static int supervise(struct supervisor *s)
{
    while (!(s->exited && s->status_from < 0 && s->out.from < 0 && s->err.from < 0
             && s->out.end == 0 && s->err.end == 0)) {
        struct pollfd fds[9];
        struct relay *relays[2] = { &s->out, &s->err };
        int n = 0;
        int idx_status = -1, idx_pid = -1, idx_life = -1, idx_from[2] = { -1, -1 }, idx_to[2] = { -1, -1 };
        int idx_sock = -1, idx_listener = -1;
        if (s->denied.sock >= 0) {
            idx_sock = n;
            fds[n++] = (struct pollfd){ s->denied.sock, POLLIN, 0 };
        }
        if (s->denied.listener >= 0) {
            idx_listener = n;
            fds[n++] = (struct pollfd){ s->denied.listener, POLLIN, 0 };
        }
        if (s->status_from >= 0) {
            idx_status = n;
            fds[n++] = (struct pollfd){ s->status_from, POLLIN, 0 };
        }
        if (s->pidfd >= 0) {
            idx_pid = n;
            fds[n++] = (struct pollfd){ s->pidfd, POLLIN, 0 };
        }
        if (s->lifeline_open) {
            idx_life = n;
            fds[n++] = (struct pollfd){ FD_LIFELINE, POLLIN, 0 };
        }
        for (int i = 0; i < 2; i++) {
            struct relay *r = relays[i];
            if (r->end > r->start) {
                idx_to[i] = n;
                fds[n++] = (struct pollfd){ r->to, POLLOUT, 0 };
            } else if (r->from >= 0) {
                idx_from[i] = n;
                fds[n++] = (struct pollfd){ r->from, POLLIN, 0 };
            }
        }
        int64_t sleep_us = check_limits(s);
        struct timespec ts = { sleep_us / 1000000, (sleep_us % 1000000) * 1000 };
        int ready = ppoll(fds, (nfds_t)n, sleep_us < 0 ? NULL : &ts, NULL);
        if (ready < 0 && errno != EINTR) {
            return -1;
        }
        if (ready <= 0) {
            continue;
        }
        if (idx_status >= 0 && fds[idx_status].revents) {
            forward_status(s);
        }
        if (idx_sock >= 0 && fds[idx_sock].revents && notifier_take_listener(&s->denied) < 0) {
            kill_run(s, "denied-report"); /* fail closed: never a workload whose filter lost its listener */
        }
        if (idx_listener >= 0 && fds[idx_listener].revents) {
            notifier_serve(&s->denied, fds[idx_listener].revents);
        }
        if (idx_life >= 0 && fds[idx_life].revents) {
            lifeline(s);
        }
        for (int i = 0; i < 2; i++) {
            if (idx_to[i] >= 0 && fds[idx_to[i]].revents) {
                relay_write(relays[i]);
            }
            if (idx_from[i] >= 0 && fds[idx_from[i]].revents) {
                relay_read(s, relays[i]);
            }
        }
        if (idx_pid >= 0 && fds[idx_pid].revents) {
            reap(s);
        }
    }
    return 0;
}

static void report_end(const struct supervisor *s)
{
    struct line l;
    line_start(&l, "end");
    line_u64(&l, (uint64_t)s->pid1_status);
    line_u64(&l, s->exec_at != 0 ? s->exited_at - s->exec_at : 0);
    line_u64(&l, s->output_bytes);
    line_word(&l, s->limit != NULL ? s->limit : "-");
    line_send(&l, FD_REPORT);
}

/*
 * The supervisor's wake-ups are the CPU limit's precision: on a busy host a woken task at the default
 * priority may wait several milliseconds for a CPU while the run keeps burning (18 ms seen at load 15
 * on 2 CPUs). It runs a few microseconds per wake-up, so it asks for the highest nice priority, after
 * the clone so the sandbox's init does not inherit it. Best effort: without CAP_SYS_NICE (a non-root
 * runner) it keeps the default, and only the precision suffers.
 */
static void raise_supervisor_priority(void)
{
    (void)setpriority(PRIO_PROCESS, 0, -20);
}

static uint32_t clone_flags(uint32_t ns)
{
    /* The cgroup namespace is entered by the child itself, after it was placed in the cgroup. */
    uint32_t f = 0;
    if (ns & NS_USER) f |= CLONE_NEWUSER;
    if (ns & NS_PID) f |= CLONE_NEWPID;
    if (ns & NS_MOUNT) f |= CLONE_NEWNS;
    if (ns & NS_IPC) f |= CLONE_NEWIPC;
    if (ns & NS_UTS) f |= CLONE_NEWUTS;
    if (ns & NS_NET) f |= CLONE_NEWNET;
    return f;
}

static int launch(char *buf, size_t len)
{
    static struct plan p;
    const char *what = "";
    if (plan_parse(&p, buf, len, &what) < 0) {
        report_fail(FD_REPORT, "plan", EINVAL, what);
        return 125;
    }
    report_step(FD_REPORT, "plan");
    if (open_mount_sources(&p, FD_REPORT) < 0) {
        return 125;
    }

    int release[2], status[2], out[2], err[2], gate[2], notify[2] = { -1, -1 };
    if (pipe2(release, O_CLOEXEC) < 0 || pipe2(status, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0
            || pipe2(err, O_CLOEXEC) < 0 || pipe2(gate, O_CLOEXEC) < 0) {
        report_fail(FD_REPORT, "clone", errno, "pipe2");
        return 125;
    }
    if (p.seccomp_report != NULL && socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, notify) < 0) {
        report_fail(FD_REPORT, "clone", errno, "socketpair");
        return 125;
    }
    int cpu_fd = -1;
    if (p.cpu_limit_us != 0) {
        cpu_fd = open(p.cpu_usage_file, O_RDONLY | O_CLOEXEC);
        if (cpu_fd < 0) {
            report_fail(FD_REPORT, "clone", errno, p.cpu_usage_file);
            return 125;
        }
    }

    /* A raw clone(2) behaves like fork(2) here; this process is single-threaded. */
    pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)(clone_flags(p.namespaces) | SIGCHLD), NULL, NULL, NULL, 0UL);
    if (pid < 0) {
        report_fail(FD_REPORT, "clone", errno, "clone");
        return 125;
    }
    if (pid == 0) {
        close(release[1]);
        close(status[0]);
        close(out[0]);
        close(err[0]);
        close(gate[1]);
        close(FD_REPORT);
        close(FD_LIFELINE);
        if (cpu_fd >= 0) {
            close(cpu_fd);
        }
        if (notify[0] >= 0) {
            close(notify[0]);
        }
        struct child_fds fds = { release[0], status[1], out[1], err[1], gate[0], notify[1] };
        child_main(&p, &fds);
    }
    close(release[0]);
    close(status[1]);
    close(out[1]);
    close(err[1]);
    close(gate[0]);
    if (notify[1] >= 0) {
        close(notify[1]);
    }
    report_step(FD_REPORT, "clone");
    raise_supervisor_priority();

    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0) {
        report_fail(FD_REPORT, "clone", errno, "pidfd_open");
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return 125;
    }
    if (prepare_child(&p, pid) < 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return 125;
    }
    report_release(); /* everything up to here reaches the runner before the init's first line */
    if (write(release[1], "1", 1) != 1) {
        report_fail(FD_REPORT, "release", errno, "release pipe");
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return 125;
    }
    close(release[1]);

    /* Static for its relay buffers' size; every field is set here, as the launch before this one (in
       the same memory, server.c) left them. */
    static struct supervisor s;
    s.p = &p;
    s.pid = pid;
    s.pidfd = pidfd;
    s.status_from = status[0];
    s.status_len = 0;
    relay_init(&s.out, out[0], 1);
    relay_init(&s.err, err[0], 2);
    s.output_bytes = 0;
    s.exec_at = s.exited_at = 0;
    s.exited = 0;
    s.pid1_status = 0;
    s.limit = NULL;
    s.cpu_fd = cpu_fd;
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    s.ncpus = online > 0 ? online : 1;
    s.lifeline_open = 1;
    s.gate = gate[1];
    s.denied = (struct notifier){ .p = &p, .report_fd = FD_REPORT, .sock = notify[0], .listener = -1 };
    int status_code = 0;
    if (supervise(&s) < 0) {
        report_fail(FD_REPORT, "supervise", errno, "ppoll");
        kill_run(&s, "runner-gone");
        status_code = 125;
    } else {
        notifier_report(&s.denied, FD_REPORT);
        report_end(&s);
    }
    /* The workload's output and the init's lines (a failed exec names the command) passed through
       here: none of it stays for a later launch's memory. */
    explicit_bzero(s.out.buf, s.out.used);
    explicit_bzero(s.err.buf, s.err.used);
    explicit_bzero(s.status_buf, sizeof s.status_buf);
    return status_code;
}

int helper_run(void)
{
    signal(SIGPIPE, SIG_IGN);
    /* The helper's own set-up lines go to the runner together, at the init's release (launch). */
    report_hold(FD_REPORT);
    size_t len = 0;
    char *buf = read_plan(&len);
    int status = 125;
    if (buf == NULL) {
        report_fail(FD_REPORT, "plan", errno, "reading the plan");
    } else {
        close(FD_PLAN);
        status = launch(buf, len);
        /* The plan (command line, environment) must not outlive its launch in the server's memory;
           explicit_bzero, because a compiler may drop a memset before free as a dead store. */
        explicit_bzero(buf, len);
        free(buf);
    }
    report_release();
    return status;
}
