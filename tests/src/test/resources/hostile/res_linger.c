/*
 * Processes that try to outlive the run. Each carries MARKER in its command line and, as its name
 * (comm, which zombies keep), the first 15 bytes of MARKER, so the test can find any survivor in the
 * host's /proc.
 *
 *   sleep MARKER        waits forever (past the wall limit)
 *   daemon MARKER       double-forks: the grandchild starts a new session, ignores SIGHUP and SIGTERM
 *                       and waits forever, re-parented away from the program, which exits at once
 *   zombies N MARKER    forks N children that exit at once and are never reaped, then waits forever
 *
 * Must fail inside: the run's init is pid 1 of its pid namespace; when the workload ends, the init
 * exits, and the kernel kills every process left in the namespace (pid_namespaces(7)); when a limit
 * fires, the helper kills the init with SIGKILL, to the same effect. Orphans and zombies are re-parented
 * to the init, which reaps them. Outside, the daemon survives its parent (the test then kills it).
 *
 * Usage: res_linger sleep|daemon|zombies ...
 */
#include "hostile.h"

#include <signal.h>
#include <sys/prctl.h>

static void name_after(const char *marker)
{
    char comm[16];
    snprintf(comm, sizeof comm, "%s", marker);
    prctl(PR_SET_NAME, comm, 0, 0, 0);
}

static void forever(void)
{
    for (;;) {
        pause();
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        broken("usage", EINVAL);
    }
    const char *mode = argv[1], *marker = argv[argc - 1];
    name_after(marker);
    if (strcmp(mode, "sleep") == 0) {
        forever();
    }
    if (strcmp(mode, "daemon") == 0) {
        fflush(stdout);
        pid_t child = fork();
        if (child < 0) {
            broken("fork", errno);
        }
        if (child == 0) {
            setsid();
            if (fork() != 0) {
                _exit(0);
            }
            signal(SIGHUP, SIG_IGN);
            signal(SIGTERM, SIG_IGN);
            char *args[] = { argv[0], "sleep", (char *)marker, NULL };
            execv("/proc/self/exe", args);
            forever();
        }
        waitpid(child, NULL, 0);
        worked("daemon", "a grandchild lives on");
        return verdict();
    }
    if (strcmp(mode, "zombies") == 0 && argc == 4) {
        int n = atoi(argv[2]), made = 0;
        fflush(stdout);
        for (; made < n; made++) {
            pid_t pid = fork();
            if (pid < 0) {
                break;
            }
            if (pid == 0) {
                _exit(0);
            }
        }
        printf("note zombies %d\n", made);
        forever();
    }
    broken("mode", EINVAL);
}
