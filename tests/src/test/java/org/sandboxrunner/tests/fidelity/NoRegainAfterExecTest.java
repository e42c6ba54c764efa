package org.sandboxrunner.tests.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.capabilities.Capability;
import org.sandboxrunner.capabilities.CapabilitySet;
import org.sandboxrunner.capabilities.CapabilitySets;
import org.sandboxrunner.capabilities.CapabilityState;
import org.sandboxrunner.capabilities.ExecveTransition;
import org.sandboxrunner.capabilities.SecureBits;
import org.sandboxrunner.core.launch.ObservedState;
import org.sandboxrunner.core.run.RunRequest;
import org.sandboxrunner.core.run.RunResult;
import org.sandboxrunner.core.run.Status;
import org.sandboxrunner.tests.SandboxFixture;

/**
 * After exec the workload cannot get back a capability it lost: not by capset, not by raising it in
 * the inheritable or ambient set, not by becoming uid 0, and not by executing itself again and
 * again, neither as an ordinary uid nor as root of its namespace. The probe runs three generations
 * (each one an execve of /proc/self/exe) and tries all of it in each.
 */
class NoRegainAfterExecTest {
    private static final int EPERM = 1;
    private static final int GENERATIONS = 3;

    private static final SandboxFixture fx = SharedSandbox.FX;

    @TempDir
    Path workdir;

    @Test
    void anOrdinaryUidKeepsOnlyItsAmbientCapabilitiesThroughEveryExec() throws Exception {
        // Before exec: CAP_CHOWN permitted and effective, CAP_KILL in the bounding set. Only the
        // ambient CAP_NET_BIND_SERVICE survives execve for uid 1000; the rest is gone for good.
        CapabilitySet ambient = CapabilitySet.of(Capability.CAP_NET_BIND_SERVICE);
        CapabilitySet permitted = ambient.union(CapabilitySet.of(Capability.CAP_CHOWN));
        CapabilityState profile = CapabilityState.of(new CapabilitySets(
                permitted.union(CapabilitySet.of(Capability.CAP_KILL)), permitted, permitted, ambient, ambient), SecureBits.NONE);
        List<Probe.Report> generations = runProbe(1000, profile);
        for (Probe.Report g : generations) {
            assertEquals(ExecveTransition.apply(profile, 1000, 1000, true).sets(), g.capabilities());
            assertEquals(EPERM, g.attempt("setresuid-0"), "uid 1000 became root");
            assertEquals(List.of(1000L, 1000L, 1000L, 1000L, 1000L, 1000L), g.ids());
        }
    }

    @Test
    void rootOfTheNamespaceDoesNotGetItsBoundingSetBackByExec() throws Exception {
        // uid 0 without noroot would get the whole bounding set at execve (capabilities(7), "Capabilities
        // and execution of programs by root"); no_new_privs keeps it to what it already permitted:
        // CAP_KILL, never the CAP_CHOWN and CAP_SETUID its bounding set still holds.
        CapabilitySet kill = CapabilitySet.of(Capability.CAP_KILL);
        CapabilityState profile = CapabilityState.of(new CapabilitySets(
                kill.union(CapabilitySet.of(Capability.CAP_CHOWN, Capability.CAP_SETUID)), kill, CapabilitySet.EMPTY,
                CapabilitySet.EMPTY, CapabilitySet.EMPTY), SecureBits.NONE);
        for (Probe.Report g : runProbe(0, profile)) {
            CapabilitySets expected = ExecveTransition.apply(profile, 0, 0, true).sets();
            assertEquals(new CapabilitySets(profile.sets().bounding(), kill, kill, CapabilitySet.EMPTY, CapabilitySet.EMPTY),
                    expected, "the model's prediction");
            assertEquals(expected, g.capabilities());
        }
    }

    /**
     * Runs the probe for {@link #GENERATIONS} generations under {@code extends: default} with these
     * sets and uid, trying to regain each of CAP_CHOWN, CAP_KILL, CAP_SETUID and CAP_SYS_ADMIN that
     * execve does not leave permitted, in each generation. Checks the state before exec (the profile's, so CAP_CHOWN was really held) and
     * that every attempt failed with EPERM.
     */
    private List<Probe.Report> runProbe(long uid, CapabilityState state) throws Exception {
        Probe.copyInto(workdir, "probe");
        CapabilitySets s = state.sets();
        String yaml = String.join("\n",
                "apiVersion: sandbox-runner/v1",
                "extends: default",
                "loosen: true",
                "process:",
                "  user: {uid: " + uid + ", gid: " + uid + "}",
                "  capabilities: {bounding: " + s.bounding().names() + ", permitted: " + s.permitted().names()
                        + ", effective: " + s.effective().names() + ", inheritable: " + s.inheritable().names()
                        + ", ambient: " + s.ambient().names() + "}",
                "");
        CapabilitySet afterExec = ExecveTransition.apply(state, uid, uid, true).sets().permitted();
        List<Capability> tried = Stream.of(Capability.CAP_CHOWN, Capability.CAP_KILL, Capability.CAP_SETUID, Capability.CAP_SYS_ADMIN)
                .filter(c -> !afterExec.contains(c)).toList();
        List<String> command = new ArrayList<>(List.of("/box/probe", Integer.toString(GENERATIONS)));
        tried.forEach(c -> command.add(Integer.toString(c.number())));
        RunResult r = fx.run(RunRequest.of(SandboxFixture.yaml("no-regain", yaml), command).withWorkdir(workdir));
        assertEquals(Status.OK, r.status(), r.message() + "\n" + SandboxFixture.out(r) + SandboxFixture.err(r));

        ObservedState before = r.state().orElseThrow();
        assertEquals(s, CapabilitySets.fromBitmaps(before.bounding(), before.permitted(), before.effective(),
                before.inheritable(), before.ambient()), "the state before exec is the profile's");
        List<Probe.Report> generations = Probe.parse(SandboxFixture.out(r));
        assertEquals(GENERATIONS, generations.size(), SandboxFixture.out(r));
        for (Probe.Report g : generations) {
            assertTrue(g.status().noNewPrivs());
            for (Capability c : tried) {
                assertFalse(g.capabilities().permitted().contains(c), c + " is permitted after exec");
                for (String how : List.of("capset", "inheritable", "ambient")) {
                    assertEquals(EPERM, g.attempt(how + " " + c.number()), how + " raised " + c + " in\n" + SandboxFixture.out(r));
                }
            }
        }
        return generations;
    }
}
