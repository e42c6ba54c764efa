/*
 * Burns CPU on THREADS threads forever.
 *
 * Must fail inside: the helper polls the run's cgroup CPU usage (all its processes and threads
 * together) and kills the run once it passes the CPU limit, with status TLE and limit "cpu";
 * RLIMIT_CPU is a per-process backstop. Never run outside: it does not stop.
 *
 * Usage: res_cpu THREADS [MARKER]   (MARKER only marks the process for the test's /proc scan)
 */
#include "hostile.h"

#include <pthread.h>

static void *spin(void *arg)
{
    volatile unsigned long n = 0;
    (void)arg;
    for (;;) {
        n++;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    for (int i = 1; i < threads; i++) {
        pthread_t t;
        pthread_create(&t, NULL, spin, NULL);
    }
    spin(NULL);
    return verdict();
}
