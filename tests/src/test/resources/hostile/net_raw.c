/*
 * Raw network access: raw IPv4 and IPv6 sockets (forge any packet, sniff ICMP), a packet socket
 * (every frame on every interface of the namespace) and the obsolete SOCK_PACKET. Nothing is sent.
 *
 * Must fail inside: raw and packet sockets need CAP_NET_RAW over the network namespace's owner, and
 * the workload holds no capability; the default seccomp filter allows socket() only for AF_UNIX,
 * AF_INET, AF_INET6 and AF_NETLINK. Outside, as root, each socket is created.
 *
 * Usage: net_raw
 */
#include "hostile.h"

#include <linux/if_ether.h>
#include <netinet/in.h>
#include <sys/socket.h>

static void try_socket(const char *step, int family, int type, int protocol)
{
    int fd = socket(family, type, protocol);
    if (step_result(step, fd)) {
        close(fd);
    }
}

int main(void)
{
    try_socket("raw-ipv4", AF_INET, SOCK_RAW, IPPROTO_ICMP);
    try_socket("raw-ipv6", AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
    try_socket("packet", AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    try_socket("sock-packet", AF_INET, SOCK_PACKET, htons(ETH_P_ALL));
    return verdict();
}
