/* A calibrated busy loop: spin.c ITERATIONS. The loop's work is fixed (no clock is read), so the CPU
   time it takes is the same inside and outside the sandbox; the volatile keeps the compiler from
   removing it. Exits 0. */
#include <stdlib.h>

int main(int argc, char **argv)
{
    unsigned long long n = argc > 1 ? strtoull(argv[1], NULL, 10) : 0;
    volatile unsigned long long sink = 0;
    for (unsigned long long i = 0; i < n; i++) {
        sink += i;
    }
    return 0;
}
