package org.sandboxrunner.tests.escape;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sandboxrunner.core.run.LimitOverrides;
import org.sandboxrunner.core.run.Status;

/**
 * Privilege escapes (issue 10): set-user-ID and file capabilities, new user namespaces, ptrace and
 * signals across the sandbox's edge, setns, the kernel interfaces that exploits start from, and other
 * system call ABIs. Each must fail inside under every built-in profile, leave the host's canary and
 * files alone, and (where safe) work outside.
 */
class PrivilegeEscapeTest {
    @RegisterExtension
    static final EscapeLab lab = EscapeLab.with("priv_gain.c", "priv_userns.c", "priv_ptrace.c", "priv_signals.c",
            "priv_setns.c", "priv_kernel.c", "priv_int80.c", "res_linger.c");

    /** uid 65534 (nobody): a plain unprivileged user of the host, for the checks outside. */
    private static final long NOBODY = 65534;

    /**
     * Copies of priv_gain in the work directory, set-user-ID to the host's root and to the sandbox's
     * root (host uid 100000). Inside, each runs with its caller's uid. Outside, nobody gains root and
     * uid 100000 through them.
     */
    @EveryProfile
    void setUserIdBinariesGiveNothing(String profile) throws Exception {
        Path work = lab.newDir("work");
        long sandboxRoot = lab.profile("default").profile().linux().uidMappings().get(0).toHost(0);
        Path suidRoot = install(work, "suid-root", 0, 04755);
        Path suidSandboxRoot = install(work, "suid-sandbox-root", sandboxRoot, 04755);

        lab.inside(profile).workdir(work).command(List.of("/box/suid-root")).assertBlocked();
        lab.inside(profile).workdir(work).command(List.of("/box/suid-sandbox-root")).assertBlocked();

        lab.outside().as(NOBODY).command(List.of(suidRoot.toString())).assertWorked();
        lab.outside().as(NOBODY).command(List.of(suidSandboxRoot.toString())).assertWorked();
    }

    /** A copy with file capabilities (setcap): nothing inside; nobody gains them outside. */
    @EveryProfile
    void fileCapabilitiesGiveNothing(String profile) throws Exception {
        Path work = lab.newDir("work");
        Path caps = install(work, "file-caps", 0, 0755);
        Process setcap = new ProcessBuilder("setcap", "cap_dac_override,cap_setuid,cap_sys_admin+ep", caps.toString())
                .inheritIO().start();
        assertEquals(0, setcap.waitFor(), "setcap failed on the host");

        lab.inside(profile).workdir(work).command(List.of("/box/file-caps")).assertBlocked();
        lab.outside().as(NOBODY).command(List.of(caps.toString())).assertWorked();
    }

    /**
     * New user namespaces (unshare, clone, clone3). Even where one is created, what it gives must not
     * reach past the sandbox: the /etc/shadow mask stays, /usr stays read-only, uevent_helper stays
     * shut. And the default filter refuses the namespace itself. Outside, nobody creates one.
     */
    @EveryProfile
    void aNewUserNamespaceRegainsNothing(String profile) {
        Outcome inside = lab.inside(profile).run("priv_userns");
        List<String> reachingOut = List.of("nested-unmask", "nested-remount-rw", "nested-setattr-rw", "nested-write-usr",
                "nested-uevent-helper");
        assertAll(
                () -> assertEquals(List.of(), inside.steps("worked").stream().filter(reachingOut::contains).toList(),
                        () -> "ESCAPE through a nested user namespace: " + inside),
                () -> inside.assertBlocked());
        lab.outside().as(NOBODY).run("priv_userns").assertWorked();
    }

    /**
     * ptrace, /proc/PID/mem, process_vm_readv and pidfd_getfd against the sandbox's init (which has
     * no seccomp filter), the workload of another sandbox running alongside, and the host's canary.
     * Outside, root does all of it to a process of the test.
     */
    @EveryProfile
    void ptraceReachesNeitherTheInitNorAnotherSandboxNorTheHost(String profile) {
        String marker = lab.newMarker();
        CompletableFuture<Outcome> other = lab.inside("default").limits(wall(15_000)).start("res_linger", "sleep", marker);
        try {
            String otherPid = awaitProcess(marker, other);
            lab.inside(profile).run("priv_ptrace", "1", otherPid, Long.toString(lab.witness().canarySleepPid())).assertBlocked();
        } finally {
            HostProcesses.killCarrying(marker);
            EscapeLab.join(other);
        }
        Process target = lab.outside().start(List.of("sleep", "60"), lab.newDir("scratch"));
        lab.outside().run("priv_ptrace", Long.toString(target.pid())).assertWorked();
    }

    /** The ptrace syscall itself, on the workload's own child: the default filter refuses it. */
    @EveryProfile
    void ptraceItselfIsRefused(String profile) {
        Outcome inside = lab.inside(profile).run("priv_ptrace", "--own-child");
        inside.assertBlocked();
        inside.assertRefusedWith("attach-own-child", "EPERM");
        lab.outside().as(NOBODY).run("priv_ptrace", "--own-child").assertWorked();
    }

    /**
     * SIGKILL to the host's canary by pid and through a pidfd, to the init, and kill(-1). The canary
     * lives (the lab checks), the run ends normally (the init survived to report it). Outside, root
     * kills a process of the test.
     */
    @EveryProfile
    void signalsNeverLeaveTheSandbox(String profile) throws InterruptedException {
        Outcome inside = lab.inside(profile).run("priv_signals", "--inside", Long.toString(lab.witness().canaryPid()),
                Long.toString(lab.witness().canarySleepPid()));
        inside.assertBlocked();
        inside.assertRefusedWith("kill:" + lab.witness().canaryPid(), "ESRCH");

        Process target = lab.outside().start(List.of("sleep", "60"), lab.newDir("scratch"));
        lab.outside().run("priv_signals", Long.toString(target.pid())).assertWorked();
        assertTrue(target.waitFor(5, TimeUnit.SECONDS), "outside, the kill should have ended the target");
    }

    /** setns into the init's namespaces and through a pidfd. Outside, root joins a test process's. */
    @EveryProfile
    void setnsJoinsNothing(String profile) {
        lab.inside(profile).run("priv_setns", "1").assertBlocked();
        Process target = lab.outside().start(List.of("sleep", "60"), lab.newDir("scratch"));
        lab.outside().run("priv_setns", Long.toString(target.pid())).assertWorked();
    }

    static Stream<Arguments> profilesAndFamilies() {
        return ProfileCases.across("bpf", "perf", "userfaultfd", "io_uring", "keyctl", "personality", "modules", "kexec",
                "reboot", "swapon");
    }

    /**
     * bpf, perf_event_open, userfaultfd, io_uring, keyrings and personality must be refused inside and
     * work outside. Module, kexec, reboot and swapon calls (with arguments the kernel rejects after its
     * permission check) must be refused for permission (EPERM) inside, and outside, as root, must get
     * past that check.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("profilesAndFamilies")
    void kernelInterfacesAreShut(String profile, String family) {
        Outcome inside = lab.inside(profile).run("priv_kernel", family);
        inside.assertBlocked();
        Outcome outside = lab.outsideOnce("priv_kernel", family);
        if (List.of("modules", "kexec", "reboot", "swapon").contains(family)) {
            for (String step : inside.steps("blocked")) {
                inside.assertRefusedWith(step, "EPERM");
                assertNotEquals("EPERM", outside.why(step).orElse("worked"), () -> "outside, root is refused too: " + outside);
            }
        } else {
            outside.assertWorked();
        }
    }

    /**
     * 32-bit int 0x80 and x32 system calls. Inside they must be refused or killed by the filter; when
     * they work outside (a kernel with those ABIs), inside they must be killed by the filter's
     * architecture check (status SC).
     */
    @EveryProfile
    void otherSyscallAbisAreRefused(String profile) {
        Outcome inside = lab.inside(profile).run("priv_int80");
        inside.assertBlockedOrKilledByFilter();
        Outcome outside = lab.outsideOnce("priv_int80");
        if (outside.worked()) {
            assertEquals(Status.SC, inside.status(), () -> "the kernel has these ABIs, the filter must kill them: " + inside);
        }
    }

    private Path install(Path dir, String name, long owner, int mode) throws IOException {
        Path copy = Files.copy(lab.programs().host("priv_gain"), dir.resolve(name));
        Files.setAttribute(copy, "unix:uid", (int) owner);
        Files.setAttribute(copy, "unix:gid", (int) owner);
        Files.setAttribute(copy, "unix:mode", mode); // after chown, which clears set-user-ID
        return copy;
    }

    private static LimitOverrides wall(long ms) {
        return new LimitOverrides(OptionalLong.empty(), OptionalLong.of(ms), OptionalLong.empty(), OptionalLong.empty(),
                OptionalLong.empty());
    }

    /** The host pid of the process carrying the marker, once it runs. */
    private static String awaitProcess(String marker, CompletableFuture<Outcome> run) {
        for (int i = 0; i < 2000; i++) {
            List<String> found = HostProcesses.carrying(marker);
            if (!found.isEmpty()) {
                return found.get(0).substring(0, found.get(0).indexOf(':'));
            }
            assertFalse(run.isDone(), () -> "the other sandbox ended early: " + EscapeLab.join(run));
            sleep(5);
        }
        throw new AssertionError("the other sandbox's workload did not start");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
