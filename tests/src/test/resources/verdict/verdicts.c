/*
 * One way for a C program to end, per mode: verdicts MODE [ARG] MARKER. The last argument is a marker
 * the test looks for in the host's /proc afterwards (no process of the run may survive it). Each
 * mode prints what it did ("note ...") so a failed test shows how far it got.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MIB (1024 * 1024)

/* 1 GiB of zero-initialised static data (.bss): mapped at exec, charged only when touched. */
static char big_static[1024L * MIB];

static void touch(char *p, size_t bytes)
{
    for (size_t i = 0; i < bytes; i += 4096) {
        p[i] = 1;
    }
}

static int heap(long mib)
{
    for (long i = 0; i < mib; i++) {
        char *p = malloc(MIB);
        if (p == NULL) {
            printf("note heap malloc failed after %ld MiB\n", i);
            return 3;
        }
        touch(p, MIB);
    }
    printf("note heap touched %ld MiB\n", mib);
    return 0;
}

/* Each frame keeps 1 KiB live so the compiler cannot turn the recursion into a loop; the depth
   limit is far beyond any stack (2^40 KiB), it only tells the compiler the recursion ends. */
static long recurse(long depth)
{
    volatile char frame[1024];
    frame[0] = (char)depth;
    return depth > (1L << 40) ? depth : recurse(depth + 1) + frame[0];
}

static void *park(void *arg)
{
    (void)arg;
    pause();
    return NULL;
}

static int bomb(int threads)
{
    for (int n = 0;; n++) {
        int err;
        if (threads) {
            pthread_t t;
            err = pthread_create(&t, NULL, park, NULL);
        } else {
            pid_t pid = fork();
            if (pid == 0) {
                pause();
                _exit(0);
            }
            err = pid < 0 ? errno : 0;
        }
        if (err != 0) {
            printf("blocked %s %s after %d\n", threads ? "threads" : "fork", err == EAGAIN ? "EAGAIN" : strerror(err), n);
            fflush(stdout);
            return 3;
        }
    }
}

static int flood_file(const char *path)
{
    static char chunk[MIB];
    memset(chunk, 'x', sizeof chunk);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        printf("broken open %s\n", strerror(errno));
        return 4;
    }
    for (long total = 0;; total += MIB) {
        if (write(fd, chunk, sizeof chunk) < 0) {
            /* Only reached when SIGXFSZ is ignored: then write fails with EFBIG (setrlimit(2)). */
            printf("blocked write %s after %ld MiB\n", strerror(errno), total / MIB);
            return 3;
        }
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: verdicts MODE [ARG] MARKER\n");
        return 4;
    }
    const char *mode = argv[1];
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (strcmp(mode, "spin") == 0) {
        for (volatile unsigned long i = 0;; i++) {
        }
    } else if (strcmp(mode, "sleep") == 0) {
        sleep(1000);
    } else if (strcmp(mode, "heap") == 0) {
        return heap(atol(argv[2]));
    } else if (strcmp(mode, "static") == 0) {
        touch(big_static, sizeof big_static);
        printf("note static touched %ld MiB\n", (long)(sizeof big_static / MIB));
    } else if (strcmp(mode, "stack") == 0) {
        return recurse(0);
    } else if (strcmp(mode, "fork") == 0 || strcmp(mode, "threads") == 0) {
        return bomb(strcmp(mode, "threads") == 0);
    } else if (strcmp(mode, "flood") == 0) {
        for (;;) {
            fputs("flood flood flood flood flood flood flood flood flood flood flood flood flood\n", stdout);
        }
    } else if (strcmp(mode, "file") == 0) {
        return flood_file(argv[2]);
    } else if (strcmp(mode, "segv") == 0) {
        *(volatile int *)0 = 1;
    } else if (strcmp(mode, "abort") == 0) {
        abort();
    } else if (strcmp(mode, "exit137") == 0) {
        return 137;
    } else if (strcmp(mode, "orphan") == 0) {
        /* The child outlives its parent: the run ends when the parent (the workload) exits. */
        if (fork() == 0) {
            sleep(1000);
            _exit(0);
        }
        printf("note parent exits\n");
    } else if (strcmp(mode, "background") == 0) {
        /* A daemon: double fork into a new session, ignoring SIGHUP and SIGTERM. */
        if (fork() == 0) {
            setsid();
            signal(SIGHUP, SIG_IGN);
            signal(SIGTERM, SIG_IGN);
            if (fork() == 0) {
                sleep(1000);
                _exit(0);
            }
            _exit(0);
        }
        printf("note forked into the background\n");
    } else {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 4;
    }
    return 0;
}
