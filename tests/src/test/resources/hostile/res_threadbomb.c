/*
 * A thread bomb, bounded: starts threads that only wait, until it has TARGET of them or
 * pthread_create fails, and reports how many it made.
 *
 * Must fail inside: threads are tasks, and the run's pids cgroup counts tasks, so pthread_create fails
 * (EAGAIN) at the profile's pids limit. Outside the same program starts all TARGET threads.
 *
 * Usage: res_threadbomb TARGET [MARKER]   (MARKER only marks the process for the test's /proc scan)
 */
#include "hostile.h"

#include <pthread.h>

static void *idle(void *arg)
{
    (void)arg;
    pause();
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        broken("usage", EINVAL);
    }
    int target = atoi(argv[1]), made = 0, err = 0;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    while (made < target) {
        pthread_t t;
        err = pthread_create(&t, &attr, idle, NULL);
        if (err != 0) {
            break;
        }
        made++;
    }
    if (made == target) {
        worked("threads", "%d threads", made);
    } else {
        printf("note threads %d threads before %s\n", made, errno_name(err));
        blocked("threads", err);
    }
    /* exit_group ends every thread. */
    exit(verdict());
}
