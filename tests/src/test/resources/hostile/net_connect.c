/*
 * Connects to listeners on the host's loopback: TCP on 127.0.0.1 and on [::1], and a UDP datagram
 * to 127.0.0.1 (the test's listeners count whatever arrives).
 *
 * Must fail inside: the sandbox has its own network namespace, whose loopback is another device
 * than the host's: nothing listens there, so TCP is refused and the datagram goes nowhere. Outside,
 * the same connects reach listeners the test opened for that purpose.
 *
 * Usage: net_connect TCP4_PORT TCP6_PORT UDP4_PORT   (a port of 0 is skipped)
 */
#include "hostile.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

static void tcp(const char *step, int family, const char *address, int port)
{
    if (port == 0) {
        return;
    }
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t len;
    if (family == AF_INET) {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t)port);
        inet_pton(AF_INET, address, &a->sin_addr);
        len = sizeof *a;
    } else {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        inet_pton(AF_INET6, address, &a->sin6_addr);
        len = sizeof *a;
    }
    int fd = socket(family, SOCK_STREAM, 0);
    if (fd < 0) {
        blocked(step, errno);
        return;
    }
    if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
        blocked(step, errno);
    } else {
        (void)!write(fd, "escape\n", 7);
        worked(step, "connected to %s port %d", address, port);
    }
    close(fd);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        broken("usage", EINVAL);
    }
    tcp("tcp4", AF_INET, "127.0.0.1", atoi(argv[1]));
    tcp("tcp6", AF_INET6, "::1", atoi(argv[2]));
    int udp_port = atoi(argv[3]);
    if (udp_port != 0) {
        struct sockaddr_in a;
        memset(&a, 0, sizeof a);
        a.sin_family = AF_INET;
        a.sin_port = htons((uint16_t)udp_port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        /* Sending succeeds whether or not anyone listens: the test's listener is the judge. */
        if (fd < 0 || sendto(fd, "escape", 6, 0, (struct sockaddr *)&a, sizeof a) < 0) {
            blocked("udp4", errno);
        } else {
            note("udp4", "sent to 127.0.0.1 port %d", udp_port);
        }
        if (fd >= 0) {
            close(fd);
        }
    }
    return verdict();
}
