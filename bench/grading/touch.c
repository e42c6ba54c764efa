/* Touches exactly N MiB: touch.c N. One anonymous mapping of N MiB, one byte written per 4 KiB page,
   so every page is resident once; nothing else is allocated. Exits 0. */
#include <stdlib.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
    size_t bytes = (size_t)strtoull(argc > 1 ? argv[1] : "0", NULL, 10) << 20;
    if (bytes == 0) {
        return 0;
    }
    char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        return 1;
    }
    for (size_t i = 0; i < bytes; i += 4096) {
        p[i] = 1;
    }
    return 0;
}
