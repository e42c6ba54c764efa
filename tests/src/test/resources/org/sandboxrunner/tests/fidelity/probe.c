/*
 * The fidelity tests' probe: prints the credentials and capability state the kernel gave it, tries
 * to regain capabilities it was not given, and executes itself again. Built by the tests with the
 * host's gcc; never part of the runner.
 *
 *   probe GENERATIONS [CAP...]
 *
 * Each generation prints
 *   ==> generation N
 *   ==> status            /proc/self/status, whole
 *   ==> ids               "ruid euid suid rgid egid sgid"
 *   ==> securebits        PR_GET_SECUREBITS, in decimal
 *   ==> attempts          one line per attempt, "capset CAP ERRNO", "ambient CAP ERRNO",
 *                         "inheritable CAP ERRNO", then "setresuid-0 ERRNO" (0 means it worked)
 * and, while N > 1, executes /proc/self/exe with N - 1 (execve, the way back to privilege).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void section(const char *name)
{
    printf("==> %s\n", name);
}

static void print_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        printf("cannot open %s: %s\n", path, strerror(errno));
        return;
    }
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        fwrite(buf, 1, n, stdout);
    }
    fclose(f);
}

enum which { PERMITTED_AND_EFFECTIVE, INHERITABLE };

/* capget, add one capability to the named sets, capset: what a process does to raise a capability. */
static int raise_with_capset(int cap, enum which sets)
{
    struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct data[2];
    if (syscall(SYS_capget, &hdr, data) != 0) {
        return errno;
    }
    uint32_t bit = 1u << (cap % 32);
    if (sets == PERMITTED_AND_EFFECTIVE) {
        data[cap / 32].permitted |= bit;
        data[cap / 32].effective |= bit;
    } else {
        data[cap / 32].inheritable |= bit;
    }
    return syscall(SYS_capset, &hdr, data) == 0 ? 0 : errno;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: probe GENERATIONS [CAP...]\n");
        return 2;
    }
    int generations = atoi(argv[1]);
    printf("==> generation %d\n", generations);
    section("status");
    print_file("/proc/self/status");
    section("ids");
    uid_t ru, eu, su;
    gid_t rg, eg, sg;
    if (getresuid(&ru, &eu, &su) != 0 || getresgid(&rg, &eg, &sg) != 0) {
        perror("getresuid/getresgid");
        return 1;
    }
    printf("%u %u %u %u %u %u\n", ru, eu, su, rg, eg, sg);
    section("securebits");
    printf("%d\n", prctl(PR_GET_SECUREBITS, 0, 0, 0, 0));
    section("attempts");
    for (int i = 2; i < argc; i++) {
        int cap = atoi(argv[i]);
        printf("capset %d %d\n", cap, raise_with_capset(cap, PERMITTED_AND_EFFECTIVE));
        printf("inheritable %d %d\n", cap, raise_with_capset(cap, INHERITABLE));
        printf("ambient %d %d\n", cap,
                prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) == 0 ? 0 : errno);
    }
    printf("setresuid-0 %d\n", setresuid(0, 0, 0) == 0 ? 0 : errno);
    fflush(stdout);
    if (generations > 1) {
        char next[16];
        snprintf(next, sizeof next, "%d", generations - 1);
        argv[1] = next;
        execv("/proc/self/exe", argv);
        printf("==> exec-failed %s\n", strerror(errno));
        return 1;
    }
    return 0;
}
