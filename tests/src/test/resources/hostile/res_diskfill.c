/*
 * Fills a filesystem, bounded: writes files of 8 MiB into DIR until TARGET MiB are written or a
 * write fails, and reports how much it wrote. SIGXFSZ is ignored so that RLIMIT_FSIZE shows as EFBIG.
 *
 * Must fail inside: /tmp, and /box when the request gives no work directory, are tmpfs mounts of the
 * profile's filesystem.tmpSize (ENOSPC there); a single file stops at RLIMIT_FSIZE (EFBIG). With a
 * work directory from the host, /box is an overlay whose upper layer is a tmpfs of the same size, so
 * the run cannot write more than the profile allows there either. Outside, in a scratch directory, the same program writes TARGET MiB.
 *
 * Usage: res_diskfill DIR TARGET_MIB [MARKER]   (removes nothing: the test cleans up; MARKER only marks
 * the process for the test's /proc scan)
 */
#include "hostile.h"

#include <fcntl.h>
#include <signal.h>

#define CHUNK (1u << 20)
#define FILE_MIB 8

int main(int argc, char **argv)
{
    if (argc < 3) {
        broken("usage", EINVAL);
    }
    signal(SIGXFSZ, SIG_IGN);
    long target = atol(argv[2]), written = 0;
    static char buf[CHUNK];
    memset(buf, 0x5a, sizeof buf);
    int err = 0;
    for (int n = 0; written < target && err == 0; n++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/fill-%d", argv[1], n);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) {
            err = errno;
            break;
        }
        for (int i = 0; i < FILE_MIB && written < target; i++) {
            if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf) {
                err = errno != 0 ? errno : ENOSPC;
                break;
            }
            written++;
        }
        close(fd);
    }
    printf("note written %ld MiB\n", written);
    if (written >= target) {
        worked("fill", "%ld MiB in %s", written, argv[1]);
    } else {
        blocked("fill", err);
    }
    return verdict();
}
