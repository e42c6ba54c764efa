/*
 * An output flood: writes 64 KiB blocks to stdout and stderr, alternately, until a write fails.
 *
 * Must fail inside: stdout and stderr go through the helper, which counts the bytes of both and kills
 * the run (pid 1 of its pid namespace, so everything in it) once they pass the output limit; the
 * caller receives at most the limit and the status OLE. Outside it would never stop, so it is only
 * run inside.
 *
 * Usage: res_flood [MARKER]   (MARKER only marks the process for the test's /proc scan)
 */
#include "hostile.h"

int main(void)
{
    static char block[64 * 1024];
    memset(block, 'x', sizeof block);
    for (long i = 0;; i++) {
        if (write(i % 2 == 0 ? 1 : 2, block, sizeof block) < 0) {
            blocked("write", errno);
            return verdict();
        }
    }
}
