/*
 * Runs the helper's BPF interpreter (src/main/c/bpf.c) for the differential test: reads cases from
 * stdin until EOF, each "u32 n_insns, struct sock_filter[n_insns], u32 n_data, struct seccomp_data[n_data]"
 * in native byte order, and prints one line per seccomp_data: the program's return value in hex.
 */
#include "../../main/c/bpf.h"

#include <stdio.h>
#include <stdlib.h>

static int take(void *out, size_t size, size_t n)
{
    return fread(out, size, n, stdin) == n ? 0 : -1;
}

int main(void)
{
    static struct sock_filter prog[4096];
    uint32_t n;
    while (take(&n, sizeof n, 1) == 0) {
        if (n > 4096 || take(prog, sizeof prog[0], n) < 0) {
            fprintf(stderr, "bad program length %u\n", n);
            return 2;
        }
        uint32_t cases;
        if (take(&cases, sizeof cases, 1) < 0) {
            return 2;
        }
        for (uint32_t i = 0; i < cases; i++) {
            struct seccomp_data d;
            if (take(&d, sizeof d, 1) < 0) {
                return 2;
            }
            printf("%08x\n", bpf_run(prog, n, &d));
        }
    }
    return 0;
}
