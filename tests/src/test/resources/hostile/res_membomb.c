/*
 * A memory bomb, bounded: allocates and touches memory in 8 MiB steps up to TARGET MiB, printing its
 * progress, so that the pages are really resident (an untouched allocation costs nothing).
 *
 * Must fail inside: the run's memory cgroup (memory.limit_in_bytes and memsw, from the profile's
 * linux.resources.memory or the request's override; swap equal to the limit means no swap) has the
 * kernel's OOM killer kill it once it is over the limit, and the run's status is MLE. Outside the
 * same program reaches TARGET.
 *
 * Usage: res_membomb TARGET_MIB [MARKER]   (MARKER only marks the process for the test's /proc scan)
 */
#include "hostile.h"

#define STEP (8u << 20)

int main(int argc, char **argv)
{
    if (argc < 2) {
        broken("usage", EINVAL);
    }
    long target = atol(argv[1]), got = 0;
    while (got < target) {
        char *p = malloc(STEP);
        if (p == NULL) {
            blocked("allocate", ENOMEM);
            break;
        }
        memset(p, 0x5a, STEP);
        got += STEP >> 20;
        printf("note resident %ld MiB\n", got);
    }
    if (got >= target) {
        worked("allocate", "%ld MiB resident", got);
    }
    return verdict();
}
