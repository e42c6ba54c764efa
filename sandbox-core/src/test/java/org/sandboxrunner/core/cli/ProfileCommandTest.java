package org.sandboxrunner.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.policies.BuiltinProfiles;
import org.sandboxrunner.policy.CanonicalProfile;
import org.sandboxrunner.policy.ProfileHash;
import picocli.CommandLine;

class ProfileCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new ProfileCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void checkAcceptsValidProfilesAndNamesEveryErrorOfTheInvalidOnes(@TempDir Path dir) throws IOException {
        Path good = Files.writeString(dir.resolve("good.yaml"), "apiVersion: sandbox-runner/v1\nextends: default\n"
                + "limits: {wallTimeMs: 5000}\n");
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"apiVersion\": \"sandbox-runner/v1\",\n"
                + " \"hostname\": \"-x-\", \"limits\": {\"cpuTimeMs\": 0}}");
        assertEquals(0, run("check", good.toString(), "default"));
        assertTrue(out.toString().startsWith(good + ": valid, profile good sha256:"), out.toString());
        assertEquals(125, run("check", good.toString(), bad.toString()));
        assertEquals(bad + ":2:2: hostname: must be a host name (letters, digits and '-' in dot-separated labels, at most"
                + " 64 characters, RFC 1123), got '-x-'\n"
                + bad + ":2:32: limits.cpuTimeMs: must be between 1 and 9223372036854775807, got 0\n", err.toString());
    }

    @Test
    void showPrintsTheCanonicalFormAndItsHash() throws Exception {
        assertEquals(0, run("show", "grader-c"));
        var profile = BuiltinProfiles.loader().load("grader-c");
        assertEquals(CanonicalProfile.render(profile) + "\n" + ProfileHash.of(profile) + "\n", out.toString());
    }

    @Test
    void listGivesOneLinePerBuiltin() {
        assertEquals(0, run("list"));
        String[] lines = out.toString().split("\n");
        assertEquals(BuiltinProfiles.names().size(), lines.length);
        assertTrue(lines[0].startsWith("default        Strict sandbox for untrusted code"), lines[0]);
        assertTrue(lines[3].startsWith("grader-java    Compile and run Java"), lines[3]);
    }

    @Test
    void explainSaysWhatTheDefaultProfileAllowsAndForbids() {
        assertEquals(0, run("explain", "default"));
        String text = out.toString();
        assertTrue(text.startsWith("Profile default: Strict sandbox for untrusted code"), text);
        for (String expected : new String[] {
                "  New namespaces: user, pid, mount, ipc, uts, network, cgroup.",
                "  Network: none; the sandbox has only its own loopback interface.",
                "  Runs as uid 1000, gid 1000 (no supplementary groups), umask 0022.",
                "  User ids 0-65535 map to host 100000-165535; group ids 0-65535 map to host 100000-165535",
                "  Capabilities: none, in every set.",
                "  Host paths, read-only: /usr, /bin, /sbin, /lib, /lib64, /lib32, /etc; nothing else of the host is visible.",
                "  CPU time 10 s, wall time 20 s, output 64 MiB.",
                "  Memory 256 MiB, no swap; processes: at most 64.",
                "  Not listed: fail with ENOSYS (38).",
                "    mounting and changing the root: mount, umount2, pivot_root, move_mount, open_tree, fsopen, fsmount,"
                        + " fsconfig, fspick, mount_setattr",
                "    socket families: socket (when arg0 & 0xffffffff == 0x28)",
                "  A missing kernel feature refuses the run."}) {
            assertTrue(text.contains(expected + "\n") || text.contains(expected), "missing: " + expected + "\n" + text);
        }
    }

    @Test
    void badProfilesAndBadUsageExit125() {
        assertEquals(125, run("show", "no-such-profile"));
        assertTrue(err.toString().startsWith("builtin:no-such-profile: no built-in profile named 'no-such-profile';"
                + " built-in profiles: default, grader-c, grader-python, grader-java, batch"), err.toString());
        assertEquals(125, run("check"));
        assertEquals(125, run("frobnicate"));
        assertEquals(125, run());
    }
}
