package org.sandboxrunner.tests.escape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Network escapes (issue 10). The lab's witness listens on the host's loopback (TCP on 127.0.0.1 and
 * [::1], UDP on 127.0.0.1) and fails the test if anything arrives; no traffic ever leaves this machine.
 */
class NetworkEscapeTest {
    @RegisterExtension
    static final EscapeLab lab = EscapeLab.with("net_connect.c", "net_raw.c", "net_vsock.c", "net_netlink.c", "net_dns.py");

    /**
     * Connects to the witness's listeners on the host's loopback. Outside, the same program reaches
     * listeners the test opens for it.
     */
    @EveryProfile
    void theHostsLoopbackIsUnreachable(String profile) throws IOException {
        HostWitness w = lab.witness();
        lab.inside(profile).run("net_connect", port(w.tcp4Port()), port(w.tcp6Port()), port(w.udp4Port())).assertBlocked();

        try (LoopbackListener mine = LoopbackListener.on("127.0.0.1").orElseThrow()) {
            lab.outside().run("net_connect", port(mine.port()), "0", "0").assertWorked();
            assertTrue(mine.awaitConnection(), "outside, the test's listener should have been reached");
        }
    }

    /** Raw IPv4 and IPv6, packet and SOCK_PACKET sockets. Outside, root creates them (sends nothing). */
    @EveryProfile
    void rawAndPacketSocketsAreRefused(String profile) {
        lab.inside(profile).run("net_raw").assertBlocked();
        lab.outside().run("net_raw").assertWorked();
    }

    /**
     * AF_VSOCK reaches the hypervisor whatever the network namespace; the default filter answers
     * EPERM. Outside, on this virtual machine, the sockets are created (never connected).
     */
    @EveryProfile
    void vsockIsRefused(String profile) {
        Outcome inside = lab.inside(profile).run("net_vsock");
        inside.assertBlocked();
        inside.assertRefusedWith("vsock-stream", "EPERM");
        inside.assertRefusedWith("vsock-high-bits", "EPERM");
        lab.outside().run("net_vsock").assertWorked();
    }

    /**
     * rtnetlink RTM_NEWADDR on lo and RTM_NEWROUTE (a route change). Outside, root does both in a
     * network namespace of its own.
     */
    @EveryProfile
    void netlinkCannotChangeTheNetwork(String profile) {
        Outcome inside = lab.inside(profile).run("net_netlink");
        inside.assertBlocked();
        inside.assertRefusedWith("rtm-newaddr", "EPERM");
        inside.assertRefusedWith("rtm-newroute", "EPERM");
        Outcome outside = lab.outside().unshare("--net").run("net_netlink").assertWorked();
        assertEquals(List.of("rtm-newaddr", "rtm-newroute"), outside.steps("worked"), outside::toString);
    }

    /**
     * DNS: the system resolver, every nameserver of the host's resolv.conf, and the witness's UDP port
     * on the host's loopback. Outside, a DNS answerer of the test on the loopback is asked and answers
     * (the real nameservers are only asked from inside, where nothing can leave).
     */
    @EveryProfile
    void nameResolutionGoesNowhere(String profile) throws IOException {
        lab.inside(profile).run("net_dns.py", port(lab.witness().udp4Port()), "--resolvers").assertBlocked();

        try (DatagramSocket answerer = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            Thread t = new Thread(() -> answer(answerer), "dns-answerer");
            t.setDaemon(true);
            t.start();
            lab.outside().run("net_dns.py", port(answerer.getLocalPort())).assertWorked();
        }
    }

    /** Echoes one datagram back: enough of an answer for the probe. */
    private static void answer(DatagramSocket s) {
        try {
            byte[] buf = new byte[512];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            s.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
        } catch (IOException e) {
            // the socket was closed: the test is over
        }
    }

    private static String port(int p) {
        return Integer.toString(p);
    }
}
