package org.sandboxrunner.tests.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.capabilities.Capability;
import org.sandboxrunner.capabilities.CapabilitySet;
import org.sandboxrunner.capabilities.CapabilitySets;
import org.sandboxrunner.capabilities.CapabilityState;
import org.sandboxrunner.capabilities.SecureBits;
import org.sandboxrunner.core.run.ResolvedProfile;
import org.sandboxrunner.core.run.RunResult;
import org.sandboxrunner.core.run.Status;
import org.sandboxrunner.tests.SandboxFixture;

/**
 * Issue 5's known failure classes for set-user-ID programs and file capabilities: a program that
 * would be privileged on the host stays unprivileged inside. Three layers stand in the way, and each
 * is checked on its own where a profile can take the others away:
 * <ul>
 *   <li>the owner: host root is not mapped into the sandbox's user namespace, so a set-user-ID-root
 *       file from the host is owned by the overflow uid inside, and host-root file capabilities
 *       count only towards user namespaces that host root owns;</li>
 *   <li>nosuid: every bind, tmpfs and the box are mounted nosuid (a profile's tmpfs too, whatever
 *       its options say), which makes execve ignore set-ID bits and file capabilities;</li>
 *   <li>no_new_privs: execve grants nothing the process did not already have (capabilities(7),
 *       prctl(2) PR_SET_NO_NEW_PRIVS). A file the sandbox itself made set-user-ID-root (owned by its
 *       mapped root) leaves the owner layer out of the way; nosuid and this layer hold.</li>
 * </ul>
 * Each host-made program is first run on the host as an unprivileged user, where it does gain: the
 * tests prove the sandbox stops a program that really works.
 */
class SetuidAndFileCapabilityTest {
    private static final long OVERFLOW_ID = 65534;
    private static final int EPERM = 1;

    private static final SandboxFixture fx = SharedSandbox.FX;

    @TempDir
    Path workdir;

    @Test
    void aSetuidRootCopyFromTheHostStaysUnprivileged() throws Exception {
        Path probe = Probe.copyInto(workdir, "suid-probe");
        setMode(probe, 04755);
        assertEquals(0, (int) Files.getAttribute(probe, "unix:uid", LinkOption.NOFOLLOW_LINKS), "the copy is host root's");
        assertEquals(0, hostRun(probe).ids().get(1), "on the host the copy runs with effective uid 0");

        Outcome out = runIn(SandboxFixture.builtin("default"), "suid-probe");
        assertEquals(OVERFLOW_ID + " " + OVERFLOW_ID + " -rwsr-xr-x", out.part("owner"), "owner layer: host root is unmapped");
        assertTrue(mountOptions(out.part("mount")).contains("nosuid"), "nosuid layer: " + out.part("mount"));
        Probe.Report inside = out.probe();
        assertTrue(inside.status().noNewPrivs(), "no_new_privs layer");
        assertEquals(List.of(1000L, 1000L, 1000L, 1000L, 1000L, 1000L), inside.ids());
        assertEquals(CapabilitySets.NONE, inside.capabilities());
        assertEquals(EPERM, inside.attempt("setresuid-0"));
    }

    @Test
    void aSetuidRootFileOnAProfileTmpfsStaysUnprivileged() throws Exception {
        // The sandbox makes the file itself, owned by its own root (mapped) on a tmpfs whose options
        // leave nosuid out: the runner mounts it nosuid all the same (issue 10), and no_new_privs
        // stands behind that.
        Probe.copyInto(workdir, "probe");
        ResolvedProfile profile = SandboxFixture.yaml("suid-scratch", scratchProfile());
        Outcome out = run(profile, """
                cp /box/probe /scratch/p && chown 0:0 /scratch/p && chmod 4755 /scratch/p
                echo '==> owner'; stat -c '%u %g %A' /scratch/p
                echo '==> mount'; grep ' /scratch ' /proc/self/mountinfo
                /scratch/p 1
                """);
        assertEquals("0 0 -rwsr-xr-x", out.part("owner"), "the file is set-user-ID to the sandbox's root");
        assertTrue(mountOptions(out.part("mount")).containsAll(List.of("nosuid", "nodev")),
                "the profile's tmpfs must be nosuid,nodev: " + out.part("mount"));
        Probe.Report inside = out.probe();
        assertTrue(inside.status().noNewPrivs());
        assertEquals(List.of(1000L, 1000L, 1000L, 1000L, 1000L, 1000L), inside.ids(), "no_new_privs kept the uid");
        assertEquals(Kernel.throughShell(scratchState(), 1000).sets(), inside.capabilities(),
                "only the ambient capabilities, as for any program");
    }

    @Test
    void fileCapabilitiesFromTheHostDoNotRaiseCapabilities() throws Exception {
        Path probe = Probe.copyInto(workdir, "fcap-probe");
        Probe.Command.run(List.of("setcap", "cap_net_raw,cap_sys_admin=ep", probe.toString()));
        CapabilitySet fileCaps = CapabilitySet.of(Capability.CAP_NET_RAW, Capability.CAP_SYS_ADMIN);
        assertEquals(fileCaps, hostRun(probe).capabilities().permitted(), "on the host the copy gains its file capabilities");

        // default: empty bounding set, nosuid box, no_new_privs.
        Outcome strict = runIn(SandboxFixture.builtin("default"), "fcap-probe");
        assertTrue(mountOptions(strict.part("mount")).contains("nosuid"), strict.part("mount"));
        assertEquals(CapabilitySets.NONE, strict.probe().capabilities());

        // The bounding set allows both: nosuid and no_new_privs are left, and hold.
        ResolvedProfile bounded = SandboxFixture.yaml("fcap-bounded", """
                apiVersion: sandbox-runner/v1
                extends: default
                loosen: true
                process:
                  capabilities: {bounding: [CAP_NET_RAW, CAP_SYS_ADMIN], permitted: [], effective: [], inheritable: [], ambient: []}
                """);
        Probe.Report inside = runIn(bounded, "fcap-probe").probe();
        assertEquals(fileCaps, inside.capabilities().bounding(), "the bounding layer is out of the way");
        assertEquals(CapabilitySet.EMPTY, inside.capabilities().permitted());
        assertEquals(CapabilitySet.EMPTY, inside.capabilities().effective());
    }

    @Test
    void fileCapabilitiesSetInsideOnAMountThatAllowsThemDoNotRaiseCapabilities() throws Exception {
        // setcap inside (CAP_SETFCAP), on a tmpfs whose options leave nosuid out (the runner adds
        // it), for a capability in the bounding set: nosuid and no_new_privs stop it.
        Probe.copyInto(workdir, "probe");
        Outcome out = run(SandboxFixture.yaml("fcap-scratch", scratchProfile()), """
                cp /box/probe /scratch/p && /usr/sbin/setcap cap_net_raw=ep /scratch/p
                echo '==> getcap'; /usr/sbin/getcap /scratch/p
                /scratch/p 1
                """);
        assertTrue(out.part("getcap").contains("cap_net_raw=ep"), "the file carries the capability: " + out.part("getcap"));
        Probe.Report inside = out.probe();
        // On a nosuid mount the kernel does not read the file's capabilities at all (get_file_caps:
        // !mnt_may_suid), so the program starts like any other, with the ambient capabilities and
        // without CAP_NET_RAW. Were the mount to honour them, no_new_privs would still keep the grant
        // within what the process already permitted (cap_bprm_creds_from_file).
        assertEquals(Kernel.throughShell(scratchState(), 1000).sets(), inside.capabilities(),
                "CAP_NET_RAW was not gained: the file's capabilities were ignored");
    }

    /**
     * uid 1000 with CAP_CHOWN, CAP_FOWNER and CAP_SETFCAP as ambient capabilities (enough to make a
     * set-user-ID-root file or a file with capabilities), CAP_NET_RAW in the bounding set only, and
     * a tmpfs at /scratch whose options do not ask for nosuid.
     */
    private static String scratchProfile() {
        return """
                apiVersion: sandbox-runner/v1
                extends: default
                loosen: true
                process:
                  capabilities:
                    bounding: [CAP_CHOWN, CAP_FOWNER, CAP_SETFCAP, CAP_NET_RAW]
                    permitted: [CAP_CHOWN, CAP_FOWNER, CAP_SETFCAP]
                    effective: [CAP_CHOWN, CAP_FOWNER, CAP_SETFCAP]
                    inheritable: [CAP_CHOWN, CAP_FOWNER, CAP_SETFCAP]
                    ambient: [CAP_CHOWN, CAP_FOWNER, CAP_SETFCAP]
                mounts:
                  - {destination: /scratch, type: tmpfs, source: tmpfs, options: [size=16M, mode=1777]}
                """;
    }

    private static CapabilityState scratchState() {
        CapabilitySet granted = CapabilitySet.of(Capability.CAP_CHOWN, Capability.CAP_FOWNER, Capability.CAP_SETFCAP);
        return CapabilityState.of(new CapabilitySets(granted.union(CapabilitySet.of(Capability.CAP_NET_RAW)), granted, granted,
                granted, granted), SecureBits.NONE);
    }

    /** What a script printed: its own parts, then (last) the probe's report. */
    private record Outcome(Sections parts, Probe.Report probe) {
        String part(String name) {
            return parts.only(name).strip();
        }
    }

    /** Runs {@code /box/NAME} under the profile, with the file's owner and the box's mount line. */
    private Outcome runIn(ResolvedProfile profile, String name) {
        return run(profile, "echo '==> owner'; stat -c '%u %g %A' /box/" + name + "\n"
                + "echo '==> mount'; grep ' /box ' /proc/self/mountinfo\n"
                + "/box/" + name + " 1\n");
    }

    private Outcome run(ResolvedProfile profile, String script) {
        RunResult r = fx.run(SandboxFixture.sh(profile, script).withWorkdir(workdir));
        String out = SandboxFixture.out(r);
        assertEquals(Status.OK, r.status(), r.message() + "\n" + out + SandboxFixture.err(r));
        int probe = out.indexOf("==> generation");
        assertTrue(probe >= 0, "the probe did not run:\n" + out + SandboxFixture.err(r));
        return new Outcome(Sections.parse(out.substring(0, probe)), Probe.parse(out.substring(probe)).get(0));
    }

    /** The per-mount options of a /proc/self/mountinfo line (its sixth field), such as {@code [ro, nosuid]}. */
    private static List<String> mountOptions(String mountinfoLine) {
        String[] fields = mountinfoLine.strip().split(" ");
        assertTrue(fields.length > 6, "not a mountinfo line: " + mountinfoLine);
        return List.of(fields[5].split(","));
    }

    /** Runs the program on the host as nobody, outside any sandbox: what it would gain there. */
    private static Probe.Report hostRun(Path program) throws IOException {
        return Probe.parse(Probe.Command.run(List.of("setpriv", "--reuid=" + OVERFLOW_ID, "--regid=" + OVERFLOW_ID,
                "--clear-groups", program.toString(), "1"))).get(0);
    }

    private static void setMode(Path file, int mode) throws IOException {
        Files.setAttribute(file, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
        assertEquals(mode, (int) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777);
    }
}
