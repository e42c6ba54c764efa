/*
 * Reads files it must not see: /etc/shadow and its siblings, SSH host keys, the host's /root, files
 * of the host's root and of another sandbox user in a bind, the init's environment. Prints only how
 * many bytes it got, never the bytes.
 *
 * Must fail inside: the shadow files are masked (/dev/null bound over them, an empty tmpfs over
 * /etc/ssh), /root is not in the view, the host's root is not mapped so its 0600 files are "other"
 * to the sandbox's uid 1000, another mapped user's 0600 files are refused by plain permissions, and
 * /proc/1/environ needs ptrace access to the non-dumpable init. Outside, as root, the reads succeed.
 *
 * Usage: fs_read_secrets FILE...
 */
#include "hostile.h"

#include <fcntl.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        broken("usage", EINVAL);
    }
    for (int i = 1; i < argc; i++) {
        char step[4200], buf[4096];
        snprintf(step, sizeof step, "read:%s", argv[i]);
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            blocked(step, errno);
            continue;
        }
        ssize_t n = read(fd, buf, sizeof buf);
        close(fd);
        if (n < 0) {
            blocked(step, errno);
        } else if (n == 0) {
            refused(step, "empty");
        } else {
            worked(step, "%zd bytes", n);
        }
    }
    return verdict();
}
