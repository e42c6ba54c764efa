/*
 * Other system call ABIs: the 32-bit one through "int $0x80" (its own syscall numbers: a filter that
 * checks numbers without checking the architecture lets, say, 32-bit unshare through as if it were a
 * harmless 64-bit call) and x32 (numbers with bit 30 set). Tries getpid and unshare(CLONE_NEWUSER).
 *
 * Must fail inside: the default seccomp filter lists only SCMP_ARCH_X86_64, so libseccomp's
 * architecture check kills any call made through another ABI (SIGSYS, status SC) before its number
 * is looked at. Kernels without IA-32 emulation fault on int $0x80 (SIGSEGV) and kernels without x32
 * answer ENOSYS, outside as well: the test compares with the same program run outside.
 *
 * Usage: priv_int80
 */
#include "hostile.h"

#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/syscall.h>

#define IA32_GETPID 20
#define IA32_UNSHARE 310
#define X32_BIT 0x40000000L

static sigjmp_buf fault;

static void on_segv(int sig)
{
    (void)sig;
    siglongjmp(fault, 1);
}

static long int80(long nr, long arg)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(arg) : "memory", "rcx", "r11");
    return r;
}

static void ia32(const char *step, long nr, long arg, long ok)
{
    if (sigsetjmp(fault, 1) != 0) {
        refused(step, "SIGSEGV");
        return;
    }
    long r = int80(nr, arg);
    if (r == ok) {
        worked(step, "returned %ld", r);
    } else {
        blocked(step, r < 0 && r > -4096 ? (int)-r : EINVAL);
    }
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_segv;
    sigaction(SIGSEGV, &sa, NULL);
    ia32("int80-getpid", IA32_GETPID, 0, getpid());
    ia32("int80-unshare", IA32_UNSHARE, CLONE_NEWUSER, 0);
    long r = syscall(X32_BIT | SYS_getpid);
    if (r == getpid()) {
        worked("x32-getpid", "returned %ld", r);
    } else {
        blocked("x32-getpid", errno);
    }
    r = syscall(X32_BIT | SYS_unshare, CLONE_NEWUSER);
    if (r == 0) {
        worked("x32-unshare", "a new user namespace");
    } else {
        blocked("x32-unshare", errno);
    }
    return verdict();
}
