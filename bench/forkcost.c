/*
 * What process creation costs on this machine, in the shapes the native stage uses (docs/performance.md,
 * "What changed in session 3"). Each mode runs 300 rounds from a process with 1 MiB of memory touched
 * and prints the mean time per round:
 *
 *   fork-exec    fork + execve("/bin/true") + wait          (how the init used to start the workload)
 *   vfork-exec   clone(CLONE_VM|CLONE_VFORK) + execve + wait (how it starts it now)
 *   clone-ns     clone into new user, pid, mount, ipc, uts namespaces; the child exits at once
 *   clone-ns-net the same plus a new net namespace
 *   helper-fork  the helper's pattern by fork: the child writes 25 pages, forks one that writes 15
 *                and exits, writes 15 more, waits and exits (how the server used to start a helper)
 *   helper-vm    the same child started with clone(CLONE_VM|CLONE_VFORK) (how it starts one now)
 *
 *   gcc -O2 -static -o /tmp/forkcost bench/forkcost.c && /tmp/forkcost MODE    (as root for clone-ns*)
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 300
#define PAGE 4096

static char touched[1 << 20];
static char area[55 * PAGE];
static char stack[64 * 1024] __attribute__((aligned(16)));

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void write_pages(int from, int to)
{
    for (int i = from; i < to; i++) {
        area[i * PAGE]++;
    }
}

static int exec_true(void *unused)
{
    (void)unused;
    execl("/bin/true", "true", (char *)NULL);
    _exit(127);
}

static int helper(void *unused)
{
    (void)unused;
    write_pages(0, 25);
    pid_t init = fork();
    if (init == 0) {
        write_pages(25, 40);
        _exit(0);
    }
    write_pages(40, 55);
    waitpid(init, NULL, 0);
    _exit(0);
}

static int exit_at_once(void *unused)
{
    (void)unused;
    _exit(0);
}

static pid_t start(const char *mode)
{
    const int ns = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS;
    char *top = stack + sizeof stack;
    if (strcmp(mode, "fork-exec") == 0) {
        pid_t p = fork();
        return p == 0 ? exec_true(NULL) : p;
    }
    if (strcmp(mode, "vfork-exec") == 0) {
        return clone(exec_true, top, CLONE_VM | CLONE_VFORK | SIGCHLD, NULL);
    }
    if (strcmp(mode, "clone-ns") == 0) {
        return clone(exit_at_once, top, ns | SIGCHLD, NULL);
    }
    if (strcmp(mode, "clone-ns-net") == 0) {
        return clone(exit_at_once, top, ns | CLONE_NEWNET | SIGCHLD, NULL);
    }
    if (strcmp(mode, "helper-fork") == 0) {
        pid_t p = fork();
        return p == 0 ? helper(NULL) : p;
    }
    if (strcmp(mode, "helper-vm") == 0) {
        return clone(helper, top, CLONE_VM | CLONE_VFORK | SIGCHLD, NULL);
    }
    return -1;
}

static const char *const modes[] = { "fork-exec", "vfork-exec", "clone-ns", "clone-ns-net", "helper-fork", "helper-vm" };

int main(int argc, char **argv)
{
    int known = 0;
    for (size_t i = 0; argc == 2 && i < sizeof modes / sizeof modes[0]; i++) {
        known |= strcmp(argv[1], modes[i]) == 0;
    }
    if (!known) {
        fprintf(stderr, "usage: forkcost fork-exec|vfork-exec|clone-ns|clone-ns-net|helper-fork|helper-vm\n");
        return 2;
    }
    memset(touched, 1, sizeof touched);
    write_pages(0, 55);
    double t0 = now_ms();
    for (int i = 0; i < ROUNDS; i++) {
        pid_t p = start(argv[1]);
        if (p < 0) {
            perror(argv[1]);
            return 1;
        }
        waitpid(p, NULL, 0);
    }
    printf("%s: %.3f ms per round (%d rounds)\n", argv[1], (now_ms() - t0) / ROUNDS, ROUNDS);
    return 0;
}
