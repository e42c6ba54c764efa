/*
 * Calls system calls the seccomp filter refuses, for the denied-syscall report tests.
 *
 *   denied_probe call NR COUNT [A0 A1 A2]   raw syscall NR, COUNT times; prints "errno E" (the first
 *                                           call's) and "same 1" when every call got the same errno
 *   denied_probe hammer NR THREADS TOTAL    TOTAL calls of NR spread over THREADS threads; prints
 *                                           "ns-per-call N" (wall time over calls)
 *   denied_probe spread FROM COUNT          raw syscalls FROM .. FROM+COUNT-1, once each
 *   denied_probe listener                   tries to install a seccomp filter of its own with a listener
 *                                           (SECCOMP_FILTER_FLAG_NEW_LISTENER); prints "listener errno E"
 *   denied_probe int80 NR A0                NR through the 32-bit ABI (int $0x80); prints "result R"
 *   denied_probe stack NR                   stacks a filter of its own that answers NR with EPERM
 *                                           (prints "stack errno E", 0 when loaded), then calls NR;
 *                                           prints "errno E" if it is still alive
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long nr;
static long per_thread;

static void *hammer(void *arg)
{
    (void)arg;
    for (long i = 0; i < per_thread; i++) {
        syscall(nr);
    }
    return NULL;
}

static long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "call") == 0) {
        nr = strtol(argv[2], NULL, 0);
        long count = strtol(argv[3], NULL, 0);
        long a[3] = { 0, 0, 0 };
        for (int i = 0; i < 3 && 4 + i < argc; i++) {
            a[i] = (long)strtoull(argv[4 + i], NULL, 0); /* all 64 bits, e.g. 0xffffffff00000016 */
        }
        int first = 0, same = 1;
        for (long i = 0; i < count; i++) {
            errno = 0;
            long r = syscall(nr, a[0], a[1], a[2]);
            int e = r < 0 ? errno : 0;
            if (i == 0) {
                first = e;
            } else if (e != first) {
                same = 0;
            }
        }
        printf("errno %d\nsame %d\n", first, same);
        return 0;
    }
    if (argc == 5 && strcmp(argv[1], "hammer") == 0) {
        nr = strtol(argv[2], NULL, 0);
        int threads = atoi(argv[3]);
        long total = strtol(argv[4], NULL, 0);
        per_thread = total / threads;
        pthread_t t[64];
        long start = now_ns();
        for (int i = 0; i < threads && i < 64; i++) {
            pthread_create(&t[i], NULL, hammer, NULL);
        }
        for (int i = 0; i < threads && i < 64; i++) {
            pthread_join(t[i], NULL);
        }
        printf("ns-per-call %ld\n", (now_ns() - start) / (per_thread * threads));
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "spread") == 0) {
        long from = strtol(argv[2], NULL, 0), count = strtol(argv[3], NULL, 0);
        for (long i = 0; i < count; i++) {
            syscall(from + i);
        }
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "listener") == 0) {
        struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
        struct sock_fprog prog = { 1, &allow };
        long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
        printf("listener errno %d\n", fd < 0 ? errno : 0);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "stack") == 0) {
        nr = strtol(argv[2], NULL, 0);
        struct sock_filter own[] = {
            BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned int)nr, 0, 1),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
        struct sock_fprog prog = { 4, own };
        long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
        printf("stack errno %d\n", r < 0 ? errno : 0);
        fflush(stdout);
        errno = 0;
        r = syscall(nr);
        printf("errno %d\n", r < 0 ? errno : 0);
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "int80") == 0) {
        long r, n = strtol(argv[2], NULL, 0), a0 = strtol(argv[3], NULL, 0);
        __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a0) : "memory", "rcx", "r11");
        printf("result %ld\n", r);
        return 0;
    }
    fprintf(stderr, "usage: see the comment at the top of denied_probe.c\n");
    return 2;
}
