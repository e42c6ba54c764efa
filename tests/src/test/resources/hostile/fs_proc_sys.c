/*
 * Opens for writing the kernel's global knobs that containers have escaped through: core_pattern
 * (a pipe handler runs as root on the host when anything dumps core), modprobe and uevent_helper (run
 * as root by the kernel), sysrq-trigger, drop_caches, binfmt_misc. It never writes: an open for
 * writing that succeeds is already the escape.
 *
 * Must fail inside: /proc/sys and /proc/sysrq-trigger are read-only binds over the sandbox's own
 * /proc, /sys is not mounted at all, and these files belong to the host's root, which is not mapped
 * into the sandbox. Outside, as root, the opens succeed (and are closed without writing).
 *
 * Usage: fs_proc_sys FILE...
 */
#include "hostile.h"

#include <fcntl.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        broken("usage", EINVAL);
    }
    for (int i = 1; i < argc; i++) {
        char step[4200];
        snprintf(step, sizeof step, "open-write:%s", argv[i]);
        int fd = open(argv[i], O_WRONLY);
        if (step_result(step, fd)) {
            close(fd);
        }
    }
    return verdict();
}
