/*
 * CVE-2017-5226 (bubblewrap) and its kin: a sandboxed program whose stdin is the user's terminal
 * pushes characters into the terminal's input queue with ioctl(TIOCSTI), and the user's shell runs
 * them once the sandbox exits. Tried on stdin as given, and again after trying to make that terminal
 * its controlling terminal (TIOCSCTTY).
 *
 * Must fail inside: the workload runs in a new session (setsid), so the terminal is not its
 * controlling terminal, and TIOCSTI on any other terminal needs CAP_SYS_ADMIN in the initial user
 * namespace; TIOCSCTTY cannot take a terminal that already controls another session (here the test's
 * own) without CAP_SYS_ADMIN either; the default seccomp filter answers EPERM to TIOCSTI. Outside, as
 * root, the characters reach the terminal's input queue and the test reads them back.
 *
 * Usage: ipc_tiocsti TEXT   (stdin: the terminal)
 */
#include "hostile.h"

#include <sys/ioctl.h>

static int push(const char *text)
{
    for (const char *c = text; *c != '\0'; c++) {
        if (ioctl(0, TIOCSTI, c) < 0) {
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        broken("usage", EINVAL);
    }
    if (!isatty(0)) {
        broken("isatty", errno);
    }
    if (push(argv[1]) == 0) {
        worked("tiocsti", "pushed %zu characters", strlen(argv[1]));
        return verdict();
    }
    blocked("tiocsti", errno);
    if (ioctl(0, TIOCSCTTY, 0) < 0) {
        blocked("tiocsctty", errno);
    } else {
        note("tiocsctty", "the terminal is now this session's");
        if (push(argv[1]) == 0) {
            worked("tiocsti-ctty", "pushed %zu characters", strlen(argv[1]));
        } else {
            blocked("tiocsti-ctty", errno);
        }
    }
    return verdict();
}
