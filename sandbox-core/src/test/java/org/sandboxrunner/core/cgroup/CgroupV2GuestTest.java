package org.sandboxrunner.core.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * cgroup v2 for real: boots one throwaway guest whose cgroups are v2 ({@code tools/cgroup2-guest}
 * in the shared directory; it sees this machine's files read-only) and runs cgroup-v2-guest.sh in
 * it, which runs {@link CgroupKernelTest} as root and its permission-dependent tests as a delegated
 * non-root user, then the whole runner (the CLI) as that user with limits enforced through the
 * delegated subtree, and checks that a non-root user without delegation is refused. About three
 * minutes: the guest is emulated in software.
 */
class CgroupV2GuestTest {

    @Test
    void kernelTestsPassOnCgroupV2AsRootAndAsADelegatedUser() throws IOException, InterruptedException, URISyntaxException {
        Path shared = Path.of(System.getProperty("sandbox.shared.dir", "/nonexistent"));
        Assumptions.assumeTrue(Files.isDirectory(shared), "the shared directory " + shared
                + " (system property sandbox.shared.dir) holds the cgroup v2 guest tool; it is absent");
        Path tool = shared.resolve("tools/cgroup2-guest");
        assertTrue(Files.isExecutable(tool), tool + " is not executable");
        Path script = Path.of(CgroupV2GuestTest.class.getResource("/cgroup-v2-guest.sh").toURI());

        Process guest = new ProcessBuilder(tool.toString(), "--timeout", "480", "--", "sh", script.toString(),
                System.getProperty("java.class.path")).redirectErrorStream(true).start();
        guest.getOutputStream().close();
        String console = new String(guest.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(guest.waitFor(30, TimeUnit.SECONDS), "the guest tool did not exit");
        System.out.println(console);

        assertEquals(0, guest.exitValue(), console);
        assertTrue(console.contains("GUEST uid 0: cgroup v2, project parent /sys/fs/cgroup/ci.slice/judge.service/sandbox-runner"), console);
        assertTrue(console.contains("GUEST uid 1000: cgroup v2, project parent /sys/fs/cgroup/ci.slice/user.service/sandbox-runner"), console);
        assertTrue(console.matches("(?s).*GUEST uid 0: CgroupKernelTest \\d+ passed, 0 failed, 0 skipped, 0 aborted.*"), console);
        assertTrue(console.matches("(?s).*GUEST uid 1000: CgroupKernelTest \\d+ passed, 0 failed, 0 skipped, 0 aborted.*"), console);
        for (String check : List.of("true is OK",
                "a 256 MiB allocation past --memory-limit 32M is MLE by the cgroup's OOM killer",
                "a fork bomb ends RE or TLE",
                "the fork bomb's leaf was under the delegated subtree, held by pids.max 64",
                "the fork bomb's leaf is gone",
                "no leaf is left in /sys/fs/cgroup/ci.slice/user.service/sandbox-runner",
                "no process of uid 1000 is left")) {
            assertTrue(console.contains("GUEST uid 1000: runner PASS " + check + "\n"), check + "\n" + console);
        }
        assertFalse(console.contains("runner FAIL"), console);
        assertTrue(console.contains("GUEST uid 1000: refused: no writable cgroup v2 subtree"), console);
    }
}
