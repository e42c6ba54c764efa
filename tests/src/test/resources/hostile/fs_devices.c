/*
 * Reaches the host's disk and memory through device nodes: makes block and character nodes with
 * mknod (the root filesystem's disk, /dev/mem), opens a block node of the disk that the caller left
 * in the work directory (owned by the sandbox's own uid, so only the mount's nodev stops it), and
 * opens the usual device paths (/dev/mem, /dev/kmsg, /dev/port, the disk).
 *
 * Must fail inside: mknod of a device needs CAP_MKNOD in the initial user namespace; /box (and every
 * bind) is mounted nodev; the sandbox's /dev is a read-only tmpfs holding only null, zero, full,
 * random and urandom. Outside, as root, mknod works and the planted node opens (read only, 512 bytes).
 *
 * Usage: fs_devices PLANTED_NODE MAJOR MINOR DEVICE_PATH...   (in a writable working directory)
 */
#include "hostile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

static void try_node(const char *step, const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        blocked(step, errno);
        return;
    }
    char buf[512];
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    if (n < 0) {
        blocked(step, errno);
    } else {
        worked(step, "read %zd bytes from %s", n, path);
    }
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        broken("usage", EINVAL);
    }
    dev_t disk = makedev((unsigned)atoi(argv[2]), (unsigned)atoi(argv[3]));
    unlink("made-disk");
    if (step_result("mknod-block", mknod("made-disk", S_IFBLK | 0600, disk))) {
        try_node("open-made-disk", "made-disk");
        unlink("made-disk");
    }
    unlink("made-mem");
    if (step_result("mknod-mem", mknod("made-mem", S_IFCHR | 0600, makedev(1, 1)))) {
        unlink("made-mem");
    }
    try_node("open-planted", argv[1]);
    for (int i = 4; i < argc; i++) {
        char step[300];
        snprintf(step, sizeof step, "open:%s", argv[i]);
        try_node(step, argv[i]);
    }
    return verdict();
}
