/*
 * Changes the network configuration over rtnetlink (what "ip addr add" does): adds 192.0.2.1/32
 * (TEST-NET-1, never routed) to the loopback device and asks for the kernel's acknowledgement.
 *
 * Must fail inside: RTM_NEWADDR needs CAP_NET_ADMIN over the network namespace's owner, and the
 * workload holds no capability (and its namespace is its own: even a change would not touch the
 * host's routes). Outside, as root in a new network namespace (unshare --net), it is accepted.
 *
 * Usage: net_netlink
 */
#include "hostile.h"

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>

int main(void)
{
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) {
        blocked("netlink-socket", errno);
        return verdict();
    }
    struct {
        struct nlmsghdr h;
        struct ifaddrmsg a;
        char attrs[64];
    } req;
    memset(&req, 0, sizeof req);
    req.h.nlmsg_type = RTM_NEWADDR;
    req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
    req.h.nlmsg_seq = 1;
    req.a.ifa_family = AF_INET;
    req.a.ifa_prefixlen = 32;
    req.a.ifa_index = if_nametoindex("lo");
    struct rtattr *rta = (struct rtattr *)req.attrs;
    rta->rta_type = IFA_LOCAL;
    rta->rta_len = RTA_LENGTH(4);
    inet_pton(AF_INET, "192.0.2.1", RTA_DATA(rta));
    req.h.nlmsg_len = NLMSG_LENGTH(sizeof req.a) + RTA_ALIGN(rta->rta_len);
    if (send(fd, &req, req.h.nlmsg_len, 0) < 0) {
        blocked("rtm-newaddr", errno);
        return verdict();
    }
    char buf[4096];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
        broken("netlink-ack", n < 0 ? errno : EIO);
    }
    struct nlmsghdr *h = (struct nlmsghdr *)buf;
    struct nlmsgerr *e = NLMSG_DATA(h);
    if (h->nlmsg_type == NLMSG_ERROR && e->error == 0) {
        worked("rtm-newaddr", "192.0.2.1/32 added to lo");
    } else if (h->nlmsg_type == NLMSG_ERROR) {
        blocked("rtm-newaddr", -e->error);
    } else {
        broken("netlink-ack", EPROTO);
    }
    close(fd);
    return verdict();
}
