/*
 * A fork bomb, bounded so that it is safe to run outside: forks children that only wait, until it
 * has TARGET of them or fork fails, reports how many it made, then kills and reaps them all.
 *
 * Must fail inside: the run's pids cgroup (pids.max, from the profile's linux.resources.pids.limit
 * or the request's override) refuses fork once the run holds that many tasks (EAGAIN), long before
 * TARGET. Outside the same program makes all TARGET children.
 *
 * Usage: res_forkbomb TARGET [MARKER]   (MARKER only marks the processes for the test's /proc scan)
 */
#include "hostile.h"

#include <signal.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        broken("usage", EINVAL);
    }
    int target = atoi(argv[1]);
    pid_t *kids = calloc((size_t)target, sizeof *kids);
    if (kids == NULL) {
        broken("calloc", ENOMEM);
    }
    int made = 0, err = 0;
    fflush(stdout);
    while (made < target) {
        pid_t pid = fork();
        if (pid < 0) {
            err = errno;
            break;
        }
        if (pid == 0) {
            pause();
            _exit(0);
        }
        kids[made++] = pid;
    }
    if (made == target) {
        worked("fork", "%d processes", made);
    } else {
        printf("note fork %d processes before %s\n", made, errno_name(err));
        blocked("fork", err);
    }
    for (int i = 0; i < made; i++) {
        kill(kids[i], SIGKILL);
    }
    while (wait(NULL) > 0) {
    }
    return verdict();
}
