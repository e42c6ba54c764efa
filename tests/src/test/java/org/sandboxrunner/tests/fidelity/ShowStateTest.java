package org.sandboxrunner.tests.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.core.cli.Main;
import org.sandboxrunner.core.run.Profiles;
import picocli.CommandLine;

/**
 * {@code sandbox run --show-state}: every field the native stage read back before exec is printed,
 * beside what the profile asked, and the observed values are the kernel's (which, for this
 * profile, are known exactly). Unlimited rlimits read {@code unlimited}, and the RLIMIT_CPU backstop
 * the runner adds for the CPU time limit is shown.
 */
class ShowStateTest {
    private static final List<String> NAMESPACES = List.of("cgroup", "ipc", "mnt", "net", "pid", "user", "uts");
    /** Fields printed once per line of what was read: id map extents, mounts, cgroup hierarchies. */
    private static final List<String> REPEATED = List.of("uid_map", "gid_map", "mount", "cgroup");

    @TempDir
    Path tmp;

    @Test
    void everyFieldIsPrintedWithWhatWasAskedAndWhatTheKernelHeld() throws Exception {
        Path profile = tmp.resolve("shown.yaml");
        Files.writeString(profile, """
                apiVersion: sandbox-runner/v1
                name: shown
                extends: default
                loosen: true
                process:
                  user: {uid: 1000, gid: 1000, additionalGids: [100, 2000]}
                  capabilities:
                    bounding: [CAP_NET_BIND_SERVICE, CAP_CHOWN]
                    permitted: [CAP_NET_BIND_SERVICE]
                    effective: [CAP_NET_BIND_SERVICE]
                    inheritable: [CAP_NET_BIND_SERVICE]
                    ambient: [CAP_NET_BIND_SERVICE]
                  securebits: [noroot, noroot_locked]
                  rlimits:
                    - {type: RLIMIT_NOFILE, soft: 128, hard: 256}
                    - {type: RLIMIT_CORE, soft: 0, hard: 0}
                    - {type: RLIMIT_STACK, soft: 8388608, hard: unlimited}
                """);
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        int code = cl.execute("run", "--profile", profile.toString(), "--show-state", "--stdout", tmp.resolve("out").toString(),
                "--stderr", tmp.resolve("err").toString(), "--", "/bin/true");
        assertEquals(0, code, err.toString());

        List<String> lines = err.toString().lines().toList();
        String sha256 = Profiles.load(profile.toString()).sha256();
        assertEquals("state before exec (profile shown, sha256 " + sha256 + ")", lines.get(0));
        Map<String, List<String>> rows = new LinkedHashMap<>();
        Map<String, List<List<String>>> repeated = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            // "  %-16s %-40s %s": field, requested, observed
            assertTrue(line.length() > 60 && line.startsWith("  "), "not a row: '" + line + "'");
            String field = line.substring(2, 18).strip();
            List<String> row = List.of(line.substring(19, 59).strip(), line.substring(60).strip());
            if (REPEATED.contains(field)) {
                repeated.computeIfAbsent(field, f -> new java.util.ArrayList<>()).add(row);
            } else {
                assertEquals(null, rows.put(field, row), field + " is printed twice");
            }
        }
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("field", List.of("requested", "observed"));
        expected.put("bounding", List.of("CAP_NET_BIND_SERVICE,CAP_CHOWN", "0000000000000401"));
        expected.put("permitted", List.of("CAP_NET_BIND_SERVICE", "0000000000000400"));
        expected.put("effective", List.of("CAP_NET_BIND_SERVICE", "0000000000000400"));
        expected.put("inheritable", List.of("CAP_NET_BIND_SERVICE", "0000000000000400"));
        expected.put("ambient", List.of("CAP_NET_BIND_SERVICE", "0000000000000400"));
        expected.put("securebits", List.of("noroot,noroot_locked", "3"));
        expected.put("uid (r e s)", List.of("1000", "1000 1000 1000"));
        expected.put("gid (r e s)", List.of("1000", "1000 1000 1000"));
        expected.put("groups", List.of("100 2000", "100 2000"));
        expected.put("no_new_privs", List.of("1", "1"));
        expected.put("RLIMIT_NOFILE", List.of("128 256", "128 256"));
        expected.put("RLIMIT_CORE", List.of("0 0", "0 0"));
        expected.put("RLIMIT_STACK", List.of("8388608 unlimited", "8388608 unlimited"));
        // default's 10 s CPU limit: the runner's per-process backstop, whole seconds rounded up, plus one
        expected.put("RLIMIT_CPU", List.of("(runner: CPU time limit backstop)", "11 12"));
        for (String ns : NAMESPACES) {
            List<String> row = rows.get("ns " + ns);
            assertTrue(row != null && row.get(0).equals("new") && row.get(1).matches("\\d+"), "ns " + ns + ": " + row);
            assertNotEquals(Kernel.hostNamespace(ns), Long.parseLong(row.get(1)), ns + " is the host's namespace");
            expected.put("ns " + ns, row);
        }
        expected.put("setgroups", List.of("", "allow"));
        expected.put("hostname", List.of("sandbox", "sandbox"));
        List<String> mounts = rows.get("mounts");
        assertTrue(mounts != null && mounts.get(1).matches("(\\d+) sha256 [0-9a-f]{64}")
                && Integer.parseInt(mounts.get(1).split(" ")[0]) == repeated.get("mount").size(), "mounts: " + mounts);
        expected.put("mounts", mounts);
        expected.put("seccomp", List.of("filter (read after exec)", "mode 2, 1 filter(s)"));
        assertEquals(List.of(List.of("0 100000 65536", "0 100000 65536")), repeated.get("uid_map"));
        assertEquals(List.of(List.of("0 100000 65536", "0 100000 65536")), repeated.get("gid_map"));
        assertTrue(repeated.get("mount").contains(List.of("", "/box tmpfs rw,nosuid,nodev,relatime")), "mounts: " + repeated.get("mount"));
        assertTrue(repeated.get("cgroup").stream().anyMatch(r -> r.get(1).matches("\\d+:[^:]*memory[^:]*:/.+")),
                "cgroup: " + repeated.get("cgroup"));
        assertEquals(expected, rows);
    }
}
