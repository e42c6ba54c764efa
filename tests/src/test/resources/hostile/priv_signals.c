/*
 * Signals processes outside the sandbox: SIGKILL to host pids given by the test (its canary), the
 * same through pidfd_open and pidfd_send_signal, then SIGKILL to the sandbox's init (pid 1) and
 * kill(-1, SIGKILL), which reaches every process the caller may signal.
 *
 * Must fail inside: a pid namespace only names its own processes, so host pids are unknown (ESRCH)
 * and kill(-1) reaches only the sandbox's processes; its init ignores signals from inside its
 * namespace that it has no handler for (pid_namespaces(7)), so it survives to report the run. The
 * test checks that its canary outside is alive and that the run ended normally. Outside, as root, the
 * kill of a process the test started for it works. kill(-1) and the init are never tried outside.
 *
 * Usage: priv_signals [--inside] PID...
 */
#include "hostile.h"

#include <signal.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
    int inside = argc > 1 && strcmp(argv[1], "--inside") == 0;
    for (int i = inside ? 2 : 1; i < argc; i++) {
        pid_t pid = (pid_t)atoi(argv[i]);
        char step[64];
        snprintf(step, sizeof step, "pidfd:%d", pid);
        long pidfd = syscall(SYS_pidfd_open, pid, 0);
        if (pidfd < 0) {
            blocked(step, errno);
        } else {
            note(step, "opened");
            close((int)pidfd);
        }
        snprintf(step, sizeof step, "kill:%d", pid);
        step_result(step, kill(pid, SIGKILL));
    }
    if (inside) {
        /* Both "succeed" from here; whether anything outside died is for the test to see. */
        note("kill-init", "%s", kill(1, SIGKILL) == 0 ? "sent" : errno_name(errno));
        note("kill-init-alive", "%s", kill(1, 0) == 0 ? "yes" : errno_name(errno));
        note("kill-all", "%s", kill(-1, SIGKILL) == 0 ? "sent" : errno_name(errno));
    }
    return verdict();
}
