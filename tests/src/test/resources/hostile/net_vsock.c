/*
 * AF_VSOCK: sockets to the hypervisor and to other virtual machines on it. Vsock is not part of any
 * network namespace, so a sandbox's own loopback-only namespace does not keep it from the host of
 * the virtual machine. Only creates the sockets: nothing is connected or sent.
 *
 * Must fail inside: the default seccomp filter answers EPERM to socket(AF_VSOCK, ...) (compared on the
 * low 32 bits of the family, as the kernel reads it). Outside, on a machine with vsock (this one: a
 * virtual machine), the sockets are created.
 *
 * Usage: net_vsock
 */
#include "hostile.h"

#include <sys/socket.h>
#include <sys/syscall.h>

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

int main(void)
{
    static const struct {
        const char *name;
        int type;
    } types[] = { { "vsock-stream", SOCK_STREAM }, { "vsock-dgram", SOCK_DGRAM }, { "vsock-seqpacket", SOCK_SEQPACKET } };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        int fd = socket(AF_VSOCK, types[i].type, 0);
        if (step_result(types[i].name, fd)) {
            close(fd);
        }
    }
    /* The family with high bits set: the kernel reads an int, so this is still AF_VSOCK to it. */
    long fd = syscall(SYS_socket, 0x100000000L | AF_VSOCK, SOCK_STREAM, 0);
    if (step_result("vsock-high-bits", fd)) {
        close((int)fd);
    }
    return verdict();
}
