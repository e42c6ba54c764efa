/*
 * Changes the network configuration over rtnetlink (what "ip addr add" and "ip route add" do): adds
 * 192.0.2.1/32 (TEST-NET-1, never routed) to the loopback device, then a blackhole route to
 * 192.0.2.0/24, each with the kernel's acknowledgement.
 *
 * Must fail inside: RTM_NEWADDR and RTM_NEWROUTE need CAP_NET_ADMIN over the network namespace's owner, and the
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

/* Sends one request and reports the kernel's acknowledgement as STEP. */
static void ask(int fd, struct nlmsghdr *req, const char *step, const char *done)
{
    if (send(fd, req, req->nlmsg_len, 0) < 0) {
        blocked(step, errno);
        return;
    }
    char buf[4096];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
        broken("netlink-ack", n < 0 ? errno : EIO);
    }
    struct nlmsghdr *h = (struct nlmsghdr *)buf;
    struct nlmsgerr *e = NLMSG_DATA(h);
    if (h->nlmsg_type == NLMSG_ERROR && e->error == 0) {
        worked(step, "%s", done);
    } else if (h->nlmsg_type == NLMSG_ERROR) {
        blocked(step, -e->error);
    } else {
        broken("netlink-ack", EPROTO);
    }
}

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
    } addr;
    memset(&addr, 0, sizeof addr);
    addr.h.nlmsg_type = RTM_NEWADDR;
    addr.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
    addr.h.nlmsg_seq = 1;
    addr.a.ifa_family = AF_INET;
    addr.a.ifa_prefixlen = 32;
    addr.a.ifa_index = if_nametoindex("lo");
    struct rtattr *rta = (struct rtattr *)addr.attrs;
    rta->rta_type = IFA_LOCAL;
    rta->rta_len = RTA_LENGTH(4);
    inet_pton(AF_INET, "192.0.2.1", RTA_DATA(rta));
    addr.h.nlmsg_len = NLMSG_LENGTH(sizeof addr.a) + RTA_ALIGN(rta->rta_len);
    ask(fd, &addr.h, "rtm-newaddr", "192.0.2.1/32 added to lo");

    /* A route change (what "ip route add blackhole 192.0.2.0/24" does): a blackhole route needs no
       device, so it works in a fresh namespace whose lo is down. */
    struct {
        struct nlmsghdr h;
        struct rtmsg r;
        char attrs[64];
    } route;
    memset(&route, 0, sizeof route);
    route.h.nlmsg_type = RTM_NEWROUTE;
    route.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
    route.h.nlmsg_seq = 2;
    route.r.rtm_family = AF_INET;
    route.r.rtm_dst_len = 24;
    route.r.rtm_table = RT_TABLE_MAIN;
    route.r.rtm_protocol = RTPROT_STATIC;
    route.r.rtm_scope = RT_SCOPE_UNIVERSE;
    route.r.rtm_type = RTN_BLACKHOLE;
    rta = (struct rtattr *)route.attrs;
    rta->rta_type = RTA_DST;
    rta->rta_len = RTA_LENGTH(4);
    inet_pton(AF_INET, "192.0.2.0", RTA_DATA(rta));
    route.h.nlmsg_len = NLMSG_LENGTH(sizeof route.r) + RTA_ALIGN(rta->rta_len);
    ask(fd, &route.h, "rtm-newroute", "blackhole 192.0.2.0/24 added");
    close(fd);
    return verdict();
}
