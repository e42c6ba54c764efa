package org.sandboxrunner.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sandboxrunner.tests.SandboxFixture.out;
import static org.sandboxrunner.tests.SandboxFixture.sh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.capabilities.ProcLimits;
import org.sandboxrunner.capabilities.Rlimit;
import org.sandboxrunner.core.run.Bind;
import org.sandboxrunner.core.run.LimitOverrides;
import org.sandboxrunner.core.run.ResolvedProfile;
import org.sandboxrunner.core.run.RunRequest;
import org.sandboxrunner.core.run.RunResult;
import org.sandboxrunner.core.run.SandboxSetupException;
import org.sandboxrunner.core.run.Status;
import org.sandboxrunner.core.run.Profiles;
import org.sandboxrunner.policy.ProfileException;
import org.sandboxrunner.policy.RlimitSpec;

/** Issue 2's proofs: every part of a run under the default profile, against the real kernel. */
class SpineTest {
    static SandboxFixture fx;
    static ResolvedProfile def;

    @TempDir
    Path tmp;

    @BeforeAll
    static void open() {
        fx = new SandboxFixture();
        def = SandboxFixture.builtin("default");
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    private RunResult run(String script) {
        return fx.run(sh(def, script));
    }

    @Test
    void everyNamespaceIsNew() throws Exception {
        List<String> kinds = List.of("user", "pid", "mnt", "ipc", "uts", "net", "cgroup");
        RunResult r = run(kinds.stream().map(k -> "readlink /proc/self/ns/" + k).collect(Collectors.joining("; ")));
        assertEquals(Status.OK, r.status(), r.message());
        List<String> inside = out(r).lines().toList();
        assertEquals(kinds.size(), inside.size(), out(r));
        for (int i = 0; i < kinds.size(); i++) {
            String outside = Files.readSymbolicLink(Path.of("/proc/self/ns/" + kinds.get(i))).toString();
            assertTrue(inside.get(i).startsWith(kinds.get(i) + ":["), inside.get(i));
            assertNotEquals(outside, inside.get(i), kinds.get(i) + " namespace is the host's");
        }
    }

    @Test
    void idMapsAreThePlansAndTheWorkloadIsUnprivileged() {
        RunResult r = run("cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g; id -G");
        assertEquals(Status.OK, r.status(), r.message());
        List<String> lines = out(r).lines().map(l -> l.trim().replaceAll("\\s+", " ")).toList();
        assertEquals(List.of("0 100000 65536", "0 100000 65536", "1000", "1000", "1000"), lines);
    }

    @Test
    void noCapabilitiesNoNewPrivsAndSeccomp() {
        RunResult r = run("grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status");
        Map<String, String> status = out(r).lines().map(l -> l.split(":\\s*"))
                .collect(Collectors.toMap(a -> a[0], a -> a[1]));
        for (String set : List.of("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")) {
            assertEquals("0000000000000000", status.get(set), set);
        }
        assertEquals("1", status.get("NoNewPrivs"));
        assertEquals("2", status.get("Seccomp"));
    }

    @Test
    void rlimitsAreTheProfiles() {
        RunResult r = run("cat /proc/self/limits");
        ProcLimits limits = ProcLimits.parse(out(r), "/proc/self/limits in the sandbox");
        assertFalse(def.profile().process().rlimits().isEmpty());
        for (RlimitSpec spec : def.profile().process().rlimits()) {
            ProcLimits.Row seen = limits.get(Rlimit.fromResourceName(spec.type()));
            assertEquals(spec.soft(), seen.soft().raw(), spec.type() + " soft");
            assertEquals(spec.hard(), seen.hard().raw(), spec.type() + " hard");
        }
    }

    @Test
    void hostPathsAreReadOnlyAndTheBoxIsWritable() throws Exception {
        RunResult r = fx.run(sh(def, "for p in /usr /etc /bin/ /lib/; do touch $p/x 2>/dev/null && echo wrote $p; done; "
                + "echo made > /box/made").withWorkdir(tmp));
        assertEquals(Status.OK, r.status(), r.message());
        assertEquals("", out(r));
        assertEquals("made\n", Files.readString(tmp.resolve("made")));
    }

    @Test
    void theNetworkHasOnlyLoopback() {
        RunResult r = run("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '");
        assertEquals(List.of("lo"), out(r).lines().toList());
    }

    @Test
    void writesOutsideTheBindsNeverReachTheHost() {
        String marker = "sandbox-marker-" + UUID.randomUUID();
        RunResult r = run("echo x > /tmp/" + marker + " && echo tmp-ok; echo x > /" + marker + " 2>/dev/null || echo root-ro");
        assertEquals("tmp-ok\nroot-ro\n", out(r));
        assertFalse(Files.exists(Path.of("/tmp", marker)));
        assertFalse(Files.exists(Path.of("/", marker)));
    }

    @Test
    void theWallLimitKillsSleepPromptly() {
        RunRequest req = sh(def, "sleep 100").withLimits(new LimitOverrides(OptionalLong.empty(), OptionalLong.of(500),
                OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty()));
        RunResult r = fx.run(req);
        assertEquals(Status.TLE, r.status());
        assertEquals("wall", r.limit().orElseThrow());
        assertTrue(r.wallTimeMs() >= 500 && r.wallTimeMs() < 600, "wall time " + r.wallTimeMs());
        assertEquals(137, r.cliExitCode());
    }

    @Test
    void exitCodesFollowTheContract() {
        RunResult exit3 = run("exit 3");
        assertEquals(Status.RE, exit3.status());
        assertEquals(3, exit3.cliExitCode());
        RunResult killed = run("kill -SEGV $$");
        assertEquals(Status.SG, killed.status());
        assertEquals(11, killed.signal().getAsInt());
        assertEquals(139, killed.cliExitCode());
        RunResult exit137 = run("exit 137");
        assertEquals(Status.RE, exit137.status(), "a program that exits 137 by itself was not killed");
        SandboxSetupException missing = assertThrows(SandboxSetupException.class,
                () -> fx.run(RunRequest.of(def, List.of("no-such-command-here"))));
        assertEquals(127, missing.exitCode());
        SandboxSetupException notExec = assertThrows(SandboxSetupException.class,
                () -> fx.run(RunRequest.of(def, List.of("/etc/passwd"))));
        assertEquals(126, notExec.exitCode());
    }

    @Test
    void aFailedStepStopsTheRunBeforeExec() throws Exception {
        Path marker = tmp.resolve("ran");
        RunRequest req = sh(def, "touch /box/ran").withWorkdir(tmp)
                .withBinds(List.of(new Bind(Path.of("/no/such/dir"), "/data", true)));
        SandboxSetupException e = assertThrows(SandboxSetupException.class, () -> fx.run(req));
        assertEquals("mounts", e.step());
        assertEquals(125, e.exitCode());
        assertTrue(e.getMessage().contains("/no/such/dir"), e.getMessage());
        assertFalse(Files.exists(marker), "the workload ran");
    }

    @Test
    void anUnmappableIdIsRefusedBeforeAnythingRuns() throws Exception {
        Path profile = tmp.resolve("unmapped.yaml");
        Files.writeString(profile, """
                apiVersion: sandbox-runner/v1
                extends: default
                process:
                  user:
                    uid: 70000
                    gid: 1000
                """);
        ProfileException e = assertThrows(ProfileException.class, () -> Profiles.load(profile.toString()));
        assertTrue(e.getMessage().contains("unmapped.yaml:5:5: process.user.uid: uid 70000 is not mapped"), e.getMessage());
    }
}
