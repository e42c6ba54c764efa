package org.sandboxrunner.tests.escape;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sandboxrunner.policy.Profile;

/**
 * Information about the host that a sandbox must not learn (issue 10). One probe
 * (resources/hostile/info_probe.py) asks each question inside, where it must learn nothing, and
 * outside, where it must find the answer, so that a silent inside cannot come from a broken probe.
 */
class InformationLeakTest {
    @RegisterExtension
    static final EscapeLab lab = EscapeLab.with("info_probe.py");

    /** Variables of the runner's environment that are safe to name in a test (no secrets). */
    private static final List<String> PLAIN_VARIABLES = List.of("HOME", "PWD", "OLDPWD", "SHELL", "TERM", "PATH", "LANG",
            "USER", "LOGNAME", "SHLVL", "JAVA_HOME", "MAVEN_HOME");

    @EveryProfile
    void theHostsNameStaysHidden(String profile) throws IOException {
        String host = InetAddress.getLocalHost().getHostName();
        lab.inside(profile).run("info_probe.py", "hostname", host).assertBlocked();
        lab.outsideOnce("info_probe.py", "hostname", host).assertWorked();
    }

    /** The canary outside, by the marker in its command line. */
    @EveryProfile
    void theHostsProcessesStayHidden(String profile) {
        String canary = lab.witness().canaryMarker();
        lab.inside(profile).run("info_probe.py", "pids", canary).assertBlocked();
        lab.outsideOnce("info_probe.py", "pids", canary).assertWorked();
    }

    /** The host's mount points that are not also part of the sandbox's own view (/sys, /dev/pts, ...). */
    @EveryProfile
    void theHostsMountTableStaysHidden(String profile) throws IOException {
        List<String> hostOnly = hostOnlyMountPoints(lab.profile(profile).profile());
        assertFalse(hostOnly.isEmpty(), "the host has no mount point outside the sandbox's view to look for");
        List<String> args = new ArrayList<>(List.of("mounts"));
        args.addAll(hostOnly);
        lab.inside(profile).run("info_probe.py", args.toArray(String[]::new)).assertBlocked();
        lab.outsideOnce("info_probe.py", args.toArray(String[]::new)).assertWorked();
    }

    static Stream<Arguments> profilesAndPlainQuestions() {
        return ProfileCases.across("interfaces", "dmesg", "kallsyms");
    }

    /**
     * Questions that take no argument: the host's network interfaces, the kernel log, kernel addresses
     * in /proc/kallsyms (zeros without CAP_SYSLOG). Outside, root learns each.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("profilesAndPlainQuestions")
    void plainHostFactsStayHidden(String profile, String question) {
        lab.inside(profile).run("info_probe.py", question).assertBlocked();
        lab.outsideOnce("info_probe.py", question).assertWorked();
    }

    /**
     * /proc/kmsg is masked like the other /proc paths, not only refused for want of CAP_SYSLOG (one
     * capability check away from the kernel log): inside it is /dev/null, so it opens and reads empty.
     */
    @EveryProfile
    void procKmsgIsMasked(String profile) {
        lab.inside(profile).run("info_probe.py", "dmesg").assertRefusedWith("/proc/kmsg", "empty");
    }

    /**
     * /proc/kcore is masked. Where the kernel has one (not this machine's), root reads its ELF header
     * outside; where it has none, outside finds none either, and inside must not find one.
     */
    @EveryProfile
    void kcoreStaysUnreadable(String profile) {
        lab.inside(profile).run("info_probe.py", "kcore").assertBlocked();
        Outcome outside = lab.outsideOnce("info_probe.py", "kcore");
        if (Files.exists(Path.of("/proc/kcore"))) {
            outside.assertWorked();
        } else {
            outside.assertRefusedWith("kcore", "ENOENT");
        }
    }

    /**
     * The runner's own environment (the test JVM's), in the workload's environment and in the init's
     * /proc/1/environ. Outside, a program started by the runner's process inherits it.
     */
    @EveryProfile
    void theRunnersEnvironmentStaysHidden(String profile) {
        List<String> profileEnv = lab.profile(profile).profile().process().env();
        List<String> runner = new ArrayList<>();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            String pair = e.getKey() + "=" + e.getValue();
            if (PLAIN_VARIABLES.contains(e.getKey()) && !profileEnv.contains(pair)) {
                runner.add(pair);
            }
        }
        assertFalse(runner.isEmpty(), "the runner's environment has nothing to look for");
        List<String> inside = new ArrayList<>(List.of("environ", "--init"));
        inside.addAll(runner);
        lab.inside(profile).run("info_probe.py", inside.toArray(String[]::new)).assertBlocked();
        List<String> outside = new ArrayList<>(List.of("environ"));
        outside.addAll(runner);
        lab.outsideOnce("info_probe.py", outside.toArray(String[]::new)).assertWorked();
    }

    /**
     * The host's mount points minus every path the sandbox legitimately has (its root, the profile's
     * host view, /box, /proc, /dev, /tmp, the masks, the test's binds) and what lies under them.
     */
    private static List<String> hostOnlyMountPoints(Profile p) throws IOException {
        List<String> view = new ArrayList<>(List.of("/proc", "/dev", "/tmp", HostilePrograms.MOUNT, "/host", p.filesystem().box()));
        view.addAll(p.filesystem().hostReadOnly());
        view.addAll(p.linux().maskedPaths());
        view.addAll(p.linux().readonlyPaths());
        List<String> hostOnly = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String point = line.split(" ")[4];
            boolean inView = point.equals("/") || view.stream().anyMatch(v -> point.equals(v) || point.startsWith(v + "/"));
            if (!inView && !hostOnly.contains(point)) {
                hostOnly.add(point);
            }
        }
        return hostOnly;
    }
}
