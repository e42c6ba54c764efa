package org.sandboxrunner.core.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.core.nativeio.Fd;
import org.sandboxrunner.core.nativeio.Posix;
import org.sandboxrunner.policy.NamespaceType;

class NativeLauncherSmokeTest {
    @TempDir
    Path tmp;

    /** A plan with the default profile's shape (without seccomp) that runs {@code argv} as 1000:1000. */
    static LaunchPlan plan(Path box, List<String> argv) {
        return plan(box, argv, List.of("PATH=/usr/bin:/bin"));
    }

    static LaunchPlan plan(Path box, List<String> argv, List<String> env) {
        Path root = new org.sandboxrunner.core.run.RunnerDirectories(Path.of("/run/sandbox-runner")).newRoot();
        List<MountOp> mounts = List.of(
                MountOp.bind("/usr", "/usr", Set.of(MountOp.Flag.RDONLY, MountOp.Flag.NOSUID, MountOp.Flag.NODEV)),
                new MountOp(MountOp.Kind.SYMLINK, Set.of(), "usr/bin", "/bin", ""),
                new MountOp(MountOp.Kind.SYMLINK, Set.of(), "usr/lib", "/lib", ""),
                new MountOp(MountOp.Kind.SYMLINK, Set.of(), "usr/lib64", "/lib64", ""),
                MountOp.bind("/etc", "/etc", Set.of(MountOp.Flag.RDONLY, MountOp.Flag.NOSUID, MountOp.Flag.NODEV)),
                MountOp.bind(box.toString(), "/box", Set.of(MountOp.Flag.NOSUID, MountOp.Flag.NODEV)),
                MountOp.of(MountOp.Kind.PROC, "/proc"),
                new MountOp(MountOp.Kind.DEV, Set.of(), "", "/dev", "size=1m,mode=1777"),
                MountOp.tmpfs("/tmp", "size=16m,mode=1777", Set.of(MountOp.Flag.NOSUID, MountOp.Flag.NODEV)),
                MountOp.of(MountOp.Kind.MASK, "/etc/shadow"),
                MountOp.of(MountOp.Kind.READONLY, "/proc/sys"));
        return new LaunchPlan(EnumSet.allOf(NamespaceType.class), "0 100000 65536\n", "0 100000 65536\n",
                false, List.of(), root, mounts, Optional.of("sandbox"),
                List.of(new Rlimit("RLIMIT_NOFILE", 64, 64)), 0, 0, 1000, 1000, 022, List.of(),
                CapabilityPlan.none(40), Optional.empty(), 0, argv,
                env, "/box", OptionalLong.of(5_000_000), Optional.empty(),
                OptionalLong.empty(), true, Optional.empty());
    }

    @Test
    void runsShell() throws Exception {
        Path box = Files.createDirectory(tmp.resolve("box"));
        LaunchPlan plan = plan(box, List.of("/bin/sh", "-c", "id; grep -E 'Cap|NoNew|Seccomp' /proc/self/status; ls /; echo hi > /box/f; cat /etc/shadow; hostname; ls /dev; cat /proc/self/limits | grep files; echo err >&2; exit 3"));
        Path out = tmp.resolve("out");
        try (Fd in = Posix.openRead("/dev/null"); Fd o = Posix.openWrite(out.toString(), false);
                Fd e = Posix.openWrite(tmp.resolve("err").toString(), false)) {
            Files.setPosixFilePermissions(box, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            LaunchReport r;
            try (NativeLauncher launcher = new NativeLauncher(HelperBinary.verified())) {
                r = launcher.launch(plan, new Stdio(in, o, e));
            }
            System.out.println(r);
            System.out.println(Files.readString(out, StandardCharsets.UTF_8));
            System.out.println(Files.readString(tmp.resolve("err")));
            assertEquals(3, r.exit().orElseThrow().exitCode());
        }
    }
}
