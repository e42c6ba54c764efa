package org.sandboxrunner.capabilities;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExecveTransitionTest {
    private static final CapabilitySet NET_BIND = CapabilitySet.of(Capability.CAP_NET_BIND_SERVICE);
    private static final CapabilitySet BOUNDING = CapabilitySet.DOCKER_DEFAULT;

    private static CapabilityState state(CapabilitySet p, CapabilitySet e, CapabilitySet i, CapabilitySet a, SecureBits bits) {
        return new CapabilityState(new CapabilitySets(BOUNDING, p, e, i, a), bits, InheritableRule.MAY_EXCEED_AMBIENT);
    }

    @Test
    void aNonRootUidKeepsOnlyItsAmbientCapabilities() {
        CapabilityState before = state(BOUNDING, CapabilitySet.EMPTY, NET_BIND, NET_BIND, SecureBits.of(SecureBit.KEEP_CAPS));
        CapabilityState after = ExecveTransition.apply(before, 1000, 1000, true);
        assertEquals(new CapabilitySets(BOUNDING, NET_BIND, NET_BIND, NET_BIND, NET_BIND), after.sets());
        assertEquals(SecureBits.NONE, after.securebits());
    }

    @Test
    void rootGetsTheBoundingSetUnlessNoNewPrivsOrNoroot() {
        CapabilitySet kill = CapabilitySet.of(Capability.CAP_KILL);
        CapabilityState before = state(kill, kill, CapabilitySet.EMPTY, CapabilitySet.EMPTY, SecureBits.NONE);
        assertEquals(new CapabilitySets(BOUNDING, BOUNDING, BOUNDING, CapabilitySet.EMPTY, CapabilitySet.EMPTY),
                ExecveTransition.apply(before, 0, 0, false).sets());
        assertEquals(new CapabilitySets(BOUNDING, kill, kill, CapabilitySet.EMPTY, CapabilitySet.EMPTY),
                ExecveTransition.apply(before, 0, 0, true).sets());
        CapabilityState noroot = state(kill, kill, CapabilitySet.EMPTY, CapabilitySet.EMPTY, SecureBits.of(SecureBit.NOROOT));
        assertEquals(new CapabilitySets(BOUNDING, CapabilitySet.EMPTY, CapabilitySet.EMPTY, CapabilitySet.EMPTY, CapabilitySet.EMPTY),
                ExecveTransition.apply(noroot, 0, 0, false).sets());
    }

    @Test
    void aRealRootUidAloneRaisesPermittedButNotEffective() {
        CapabilityState before = state(CapabilitySet.EMPTY, CapabilitySet.EMPTY, CapabilitySet.EMPTY, CapabilitySet.EMPTY, SecureBits.NONE);
        assertEquals(new CapabilitySets(BOUNDING, BOUNDING, CapabilitySet.EMPTY, CapabilitySet.EMPTY, CapabilitySet.EMPTY),
                ExecveTransition.apply(before, 0, 1000, false).sets());
    }

    /** A valid state stays valid, under its own rule, whoever runs the program. */
    @Property
    void aValidStateStaysValid(@ForAll long b, @ForAll long p, @ForAll long e, @ForAll long a, @ForAll long i,
            @ForAll @IntRange(min = 0, max = 0xff) int securebits, @ForAll boolean rootReal, @ForAll boolean rootEffective,
            @ForAll boolean noNewPrivs, @ForAll boolean strict) {
        long permitted = p & b;
        long ambient = a & permitted;
        long inheritable = strict ? ambient : (i & b) | ambient;
        CapabilitySets sets = CapabilitySets.fromBitmaps(b, permitted, e & permitted, inheritable, ambient);
        CapabilityState before = new CapabilityState(sets, new SecureBits(securebits),
                strict ? InheritableRule.EQUALS_AMBIENT : InheritableRule.MAY_EXCEED_AMBIENT);
        CapabilityState after = ExecveTransition.apply(before, rootReal ? 0 : 1000, rootEffective ? 0 : 1000, noNewPrivs);
        assertEquals(before.sets().bounding(), after.sets().bounding());
        assertEquals(before.sets().ambient(), after.sets().ambient());
        assertEquals(before.sets().inheritable(), after.sets().inheritable());
    }

    /**
     * The kernel is the reference: capsh sets up a state, prints it (read back with this module's
     * parsers), then execs bash, which prints its own /proc/self/status with builtins (no further
     * exec) and finally execs capsh again to show the securebits after execve.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "--caps=cap_kill,cap_setpcap=eip",
        "--caps=cap_kill,cap_chown,cap_setpcap+ep --no-new-privs",
        "--drop=cap_sys_admin,cap_net_admin",
        "--inh=cap_net_bind_service --addamb=cap_net_bind_service",
        "--secbits=1",
        "--gid=65534 --uid=65534",
        "--caps=cap_net_bind_service,cap_setuid,cap_setgid,cap_setpcap+eip --keep=1 --gid=65534 --uid=65534"
                + " --inh=cap_net_bind_service --addamb=cap_net_bind_service",
        "--caps=cap_net_bind_service,cap_setuid,cap_setgid,cap_setpcap+eip --keep=1 --gid=65534 --uid=65534"
                + " --inh=cap_net_bind_service --addamb=cap_net_bind_service --no-new-privs",
    })
    void theKernelAgrees(String setup) throws Exception {
        KernelCapabilities kernel = KernelCapabilities.read();
        List<String> command = new ArrayList<>(List.of("stdbuf", "-o0", "capsh")); // unbuffered: capsh execs right after --print
        if (!setup.isEmpty()) {
            command.addAll(List.of(setup.split(" ")));
        }
        command.addAll(List.of("--print", "--",
                "-c", "while IFS= read -r line; do echo \"$line\"; done </proc/self/status; exec capsh --print"));
        String output = Commands.run(0, command);
        int status = output.indexOf("Name:\t");
        int afterExec = output.indexOf("Current: ", status);
        CapshState beforeExec = CapshState.parse(output.substring(0, status), kernel);
        ProcStatus observed = ProcStatus.parse(output.substring(status, afterExec), "bash's /proc/self/status");
        CapshState secondExec = CapshState.parse(output.substring(afterExec), kernel);

        CapabilitySets expected = ExecveTransition.sets(
                beforeExec.sets(), beforeExec.securebits(), beforeExec.uid(), beforeExec.euid(), beforeExec.noNewPrivs());
        assertEquals(List.of(), CapabilityDiff.betweenSets(expected, observed.capabilities()).sentences(),
                "before: " + beforeExec + "\nexpected: " + expected);

        SecureBits securebits = ExecveTransition.securebits(beforeExec.securebits());
        CapabilitySets expectedSecond = ExecveTransition.sets(
                expected, securebits, observed.uids().real(), observed.uids().effective(), observed.noNewPrivs());
        assertEquals(expectedSecond, secondExec.sets());
        assertEquals(ExecveTransition.securebits(securebits), secondExec.securebits());
    }
}
