package org.sandboxrunner.tests.escape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sandboxrunner.core.launch.HelperBinary;
import org.sandboxrunner.core.run.Bind;
import org.sandboxrunner.core.run.SandboxSetupException;
import org.sandboxrunner.core.run.Status;

/**
 * Filesystem escapes (issue 10): each test runs a hostile program inside the sandbox under every
 * built-in profile and requires it to fail, the host to be unchanged (checked by the lab's witness after
 * every test, plus the test's own checks), and the same program to succeed outside where that is safe.
 */
class FilesystemEscapeTest {
    @RegisterExtension
    static final EscapeLab lab = EscapeLab.with("fs_write_readonly.c", "fs_scatter.sh", "fs_chroot.c", "fs_symlinks.c",
            "fs_open_by_handle.c", "fs_proc_exe.c", "fs_fd_leak.c", "fs_mount.c", "fs_proc_sys.c", "fs_read_secrets.c",
            "fs_devices.c", "fs_memfd_exec.c");

    /**
     * Writes to host paths seen read-only. The marker in /host belongs to the sandbox's own host uid,
     * so only the read-only mount stops it: its refusal must be EROFS. Outside, the same uid changes a
     * copy of it.
     */
    @EveryProfile
    void readOnlyHostPathsCannotBeChanged(String profile) throws IOException {
        Outcome inside = lab.inside(profile).run("fs_write_readonly", "/host/marker", "/etc/passwd", "/usr/bin/env",
                "/bin/sh", "/lib", "/");
        inside.assertBlocked();
        inside.assertRefusedWith("open-write:/host/marker", "EROFS");

        Path copy = copyOwned(lab.witness().exposedDir().resolve("marker"), lab.newDir("scratch"));
        lab.outside().as(lab.sandboxUid()).run("fs_write_readonly", copy.toString()).assertWorked();
    }

    /**
     * Leaves files in every directory a program might hope the host shares: /tmp, /dev/shm, /var/tmp,
     * /run, /, /home, /root, /etc, /usr/local, and through /box/.. and /proc/self/root. What it wrote
     * (the run's own /tmp and /dev/shm) must not be on the host afterwards. Outside, run by the sandbox's
     * uid, the files it writes in /tmp, /dev/shm and /var/tmp do appear on the host.
     */
    @EveryProfile
    void filesWrittenOutsideTheBoxNeverReachTheHost(String profile) {
        String name = lab.newMarker();
        Outcome inside = lab.inside(profile).run("fs_scatter.sh", name);
        assertTrue(inside.steps("worked").contains("write:/tmp"), () -> "the run could not even write its own /tmp: " + inside);
        List<Path> hostPaths = List.of("/tmp", "/dev/shm", "/var/tmp", "/run", "/", "/home", "/root", "/etc", "/usr/local")
                .stream().map(d -> Path.of(d, name)).toList();
        hostPaths.forEach(lab::removeAfter);
        for (Path p : hostPaths) {
            assertFalse(Files.exists(p, LinkOption.NOFOLLOW_LINKS), () -> "ESCAPE: " + p + " appeared on the host: " + inside);
        }

        lab.outside().as(lab.sandboxUid()).run("fs_scatter.sh", name).assertWorked();
        for (String d : List.of("/tmp", "/dev/shm", "/var/tmp")) {
            assertTrue(Files.exists(Path.of(d, name)), "outside, the file should be on the host: " + d);
        }
    }

    /** The chroot double escape, directly and from a new user namespace. Outside, root breaks out. */
    @EveryProfile
    void chrootDoubleEscapeStaysInTheSandbox(String profile) {
        String witness = lab.witness().hidden().toString();
        lab.inside(profile).run("fs_chroot", witness).assertBlocked();
        lab.outside().in(lab.newDir("scratch")).run("fs_chroot", witness).assertWorked();
    }

    /**
     * Symlinks and ".." walks from the box towards a host path, /proc/self/root, the init's root and
     * cwd, and a hard link to a file of another bind (refused with EXDEV: two mounts). Outside, every
     * path reaches the witness and the hard link is made.
     */
    @EveryProfile
    void dotDotAndSymlinksStayInTheSandbox(String profile) throws IOException {
        String witness = lab.witness().hidden().toString();
        Outcome inside = lab.inside(profile).run("fs_symlinks", "--init", witness, "/host/secret");
        inside.assertBlocked();
        inside.assertRefusedWith("hardlink", "EXDEV");

        Path scratch = lab.newDir("scratch");
        Path secret = Files.writeString(scratch.resolve("secret"), "secret\n");
        lab.outside().in(scratch).run("fs_symlinks", witness, secret.toString()).assertWorked();
    }

    /**
     * A hostile run leaves a symlink in its work directory where the caller will later look for a
     * directory (its output, say), pointing at a host path; the caller then binds that path into the
     * next run. The copy-back does not bring the link home; planted on the host instead, it must still
     * not redirect the bind. The bind must not follow the link out of the work directory: the next run must be
     * refused, or see nothing of the link's target. (The runner already refuses a symlink as the work
     * directory itself.)
     */
    @EveryProfile
    void aSymlinkPlantedInTheWorkdirDoesNotRedirectTheNextRunsBind(String profile) throws IOException {
        Path work = lab.newDir("work");
        Path hiddenDir = lab.witness().hidden().getParent();
        Outcome plant = lab.inside(profile).workdir(work).command(List.of("/bin/ln", "-s", hiddenDir.toString(), "/box/output"));
        assertEquals(Status.OK, plant.status(), plant::toString);
        assertFalse(Files.exists(work.resolve("output"), LinkOption.NOFOLLOW_LINKS), "the copy-back brought a symbolic link home");
        // The bind's own layer, for a link that reaches a work directory some other way (a runner that
        // is not root binds the work directory itself; anyone with access to it can plant one).
        Files.createSymbolicLink(work.resolve("output"), hiddenDir);
        String secret = Files.readString(lab.witness().hidden());
        assertEquals(secret, Files.readString(work.resolve("output/witness")), "outside, the planted link reaches the host");

        try {
            Outcome next = lab.inside(profile).bind(new Bind(work.resolve("output"), "/output", true))
                    .command(List.of("/bin/cat", "/output/witness"));
            assertFalse(next.stdout().contains(secret.strip()),
                    () -> "ESCAPE: a bind of " + work.resolve("output") + " followed the planted symlink to " + hiddenDir + ": " + next);
        } catch (SandboxSetupException refused) {
            // Refusing a bind source that is a symlink is the right answer.
        }
    }

    /**
     * The shocker attack: a forged ext4 handle for inode 2 through open_by_handle_at. The witness is
     * on the filesystem of /etc, so outside the forged handle opens the filesystem's root and reaches it.
     */
    @EveryProfile
    void openByHandleAtCannotReachTheFilesystemRoot(String profile) throws IOException {
        Path hidden = lab.witness().hidden();
        assertEquals(Files.getFileStore(Path.of("/etc")), Files.getFileStore(hidden),
                "this attack needs the witness on the filesystem of /etc");
        String relative = mountPointOf(hidden).relativize(hidden).toString();
        Outcome inside = lab.inside(profile).run("fs_open_by_handle", "/etc", relative);
        inside.assertBlocked();
        inside.assertRefusedWith("open_by_handle_at", "EPERM", "ENOSYS");
        lab.outside().run("fs_open_by_handle", "/etc", relative).assertWorked();
    }

    /**
     * CVE-2019-5736: open the runtime's binary (here the init, the sandbox-helper) through /proc/1/exe
     * and reopen it for writing. The helper binary must be byte for byte the same after. Outside, the
     * same steps open a scratch copy of sleep for writing once it has exited.
     */
    @EveryProfile
    void theRuntimeBinaryCannotBeOpenedForWriting(String profile) throws IOException {
        Path helper = HelperBinary.verified();
        String before = sha256(helper);
        lab.inside(profile).run("fs_proc_exe", "1", "self").assertBlocked();
        assertEquals(before, sha256(helper), "ESCAPE: the sandbox-helper binary changed");

        Path copy = lab.newDir("scratch").resolve("sleep");
        Files.copy(Path.of("/bin/sleep"), copy);
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
        lab.outside().run("fs_proc_exe", "spawn:" + copy).assertWorked();
    }

    /**
     * CVE-2024-21626: descriptors left open into the workload (a host directory, the cgroup
     * filesystem) and the init's descriptors. Outside, a shell that leaves a directory open on fd 7
     * shows the same walk reaching the witness.
     */
    @EveryProfile
    void noHostDescriptorLeaksIntoTheWorkload(String profile) {
        String witness = lab.witness().hidden().toString();
        Outcome inside = lab.inside(profile).run("fs_fd_leak", "--init", witness);
        inside.assertBlocked();
        inside.assertRefusedWith("leaked-fd", "none");
        lab.outside().holdingOpen(lab.witness().hidden().getParent()).run("fs_fd_leak", witness).assertWorked();
    }

    /**
     * The same with a host work directory: the box overlay reaches the sandbox as a descriptor (the
     * helper's fd 6, moved to /box by the init), which the workload must not hold. A mount descriptor
     * left open would let it walk the overlay's lower layer, the host's work directory, with no copy-back
     * in between.
     */
    @EveryProfile
    void theBoxOverlaysDescriptorDoesNotLeakIntoTheWorkload(String profile) {
        String witness = lab.witness().hidden().toString();
        Outcome inside = lab.inside(profile).workdir(lab.newDir("work")).run("fs_fd_leak", "--init", witness);
        inside.assertBlocked();
        inside.assertRefusedWith("leaked-fd", "none");
    }

    /** mount, umount (unmasking /etc/shadow), remounts, open_tree, move_mount, fsopen, pivot_root. */
    @EveryProfile
    void theMountTableCannotBeChanged(String profile) {
        lab.inside(profile).run("fs_mount", "/tmp").assertBlocked();
        lab.outside().unshare("--mount").run("fs_mount", lab.newDir("scratch").toString()).assertWorked();
    }

    /**
     * The kernel's global knobs (core_pattern, modprobe, uevent_helper, sysrq-trigger, drop_caches,
     * binfmt_misc) cannot even be opened for writing; their host values are unchanged. Outside, root
     * opens those this kernel has (and closes them without writing).
     */
    @EveryProfile
    void procSysAndSysCannotBeWritten(String profile) throws IOException {
        List<String> knobs = List.of("/proc/sys/kernel/core_pattern", "/proc/sys/kernel/modprobe",
                "/proc/sys/vm/drop_caches", "/proc/sys/fs/binfmt_misc/register", "/proc/sysrq-trigger",
                "/sys/kernel/uevent_helper", "/sys/fs/cgroup/cgroup.procs");
        List<String> present = knobs.stream().filter(k -> Files.exists(Path.of(k))).toList();
        Map<String, String> before = readAll(present.stream().filter(k -> k.startsWith("/proc/sys/kernel/")).toList());

        lab.inside(profile).run("fs_proc_sys", knobs.toArray(String[]::new)).assertBlocked();
        assertEquals(before, readAll(List.copyOf(before.keySet())), "ESCAPE: a kernel setting changed");
        assertFalse(present.isEmpty(), "none of the knobs exists on this host");
        lab.outside().run("fs_proc_sys", present.toArray(String[]::new)).assertWorked();
    }

    /**
     * Secrets: the shadow files (masked), SSH host keys (masked directory), the host's /root (not in
     * the view), 0600 files of the host's root and of another sandbox user in a bind, the init's
     * environment. Outside, root reads copies of the two 0600 files (never the host's own secrets).
     */
    @EveryProfile
    void secretsStayUnreadable(String profile) throws IOException {
        Outcome inside = lab.inside(profile).run("fs_read_secrets", "/etc/shadow", "/etc/gshadow", "/etc/ssh/ssh_host_rsa_key",
                "/etc/ssh/ssh_host_ed25519_key", "/root/.bashrc", "/root/.profile", "/host/secret", "/host/other",
                "/proc/1/environ");
        inside.assertBlocked();
        inside.assertRefusedWith("read:/host/secret", "EACCES");
        inside.assertRefusedWith("read:/host/other", "EACCES");

        Path scratch = lab.newDir("scratch");
        List<String> copies = new ArrayList<>();
        for (String f : List.of("secret", "other")) {
            Path exposed = lab.witness().exposedDir().resolve(f);
            Path copy = Files.copy(exposed, scratch.resolve(f));
            Files.setAttribute(copy, "unix:uid", Files.getAttribute(exposed, "unix:uid"));
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-------"));
            copies.add(copy.toString());
        }
        lab.outside().run("fs_read_secrets", copies.toArray(String[]::new)).assertWorked();
    }

    /**
     * Device nodes: mknod of the root filesystem's disk and of /dev/mem, a block node of the disk left
     * in the work directory by the caller (owned by the sandbox's uid, so only nodev stops it), and the
     * usual device paths. Outside, root makes the nodes and reads 512 bytes of the planted one.
     */
    @EveryProfile
    void deviceNodesGiveNoAccess(String profile) throws Exception {
        long dev = (long) Files.getAttribute(Path.of("/"), "unix:dev");
        String major = Long.toString(((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL));
        String minor = Long.toString((dev & 0xff) | ((dev >>> 12) & ~0xffL));
        Path work = lab.newDir("work");
        Path node = work.resolve("disk");
        Process mknod = new ProcessBuilder("mknod", node.toString(), "b", major, minor).inheritIO().start();
        assertEquals(0, mknod.waitFor(), "mknod on the host failed");
        Files.setAttribute(node, "unix:uid", (int) lab.sandboxUid());
        Files.setPosixFilePermissions(node, PosixFilePermissions.fromString("rw-------"));

        Outcome inside = lab.inside(profile).workdir(work).run("fs_devices", "/box/disk", major, minor, "/dev/mem",
                "/dev/kmem", "/dev/kmsg", "/dev/port", rootDevice());
        inside.assertBlocked();
        inside.assertRefusedWith("open-planted", "EACCES");
        inside.assertRefusedWith("mknod-block", "EPERM");

        lab.outside().in(lab.newDir("scratch")).run("fs_devices", node.toString(), major, minor).assertWorked();
    }

    /**
     * memfd tricks: a copy of itself in a memfd, set-user-ID and with file capabilities, executed with
     * fexecve and through /proc/self/fd. The copy must hold no more than its parent (no_new_privs and
     * the seccomp filter kept, no capability, same uid), and file capabilities cannot be written.
     * Outside, root can write the file capabilities and both executions run: the mechanism works.
     */
    @EveryProfile
    void memfdExecGainsNothing(String profile) {
        Outcome inside = lab.inside(profile).run("fs_memfd_exec");
        inside.assertBlocked();
        assertEquals(List.of("setuid-bit", "exec-copy", "fexecve", "exec-copy", "proc-fd-exec"), inside.steps("note"),
                () -> "the memfd copy did not run inside: " + inside);
        inside.assertRefusedWith("file-caps", "EPERM");

        Outcome outside = lab.outside().run("fs_memfd_exec");
        assertTrue(outside.steps("note").containsAll(List.of("file-caps", "fexecve", "proc-fd-exec")),
                () -> "outside, the memfd copy should run with file capabilities written: " + outside);
    }

    private Path copyOwned(Path file, Path dir) throws IOException {
        Files.setAttribute(dir, "unix:uid", (int) lab.sandboxUid());
        Path copy = Files.copy(file, dir.resolve(file.getFileName()));
        Files.setAttribute(copy, "unix:uid", (int) lab.sandboxUid());
        Files.setAttribute(copy, "unix:gid", (int) lab.sandboxGid());
        return copy;
    }

    /** The mount point of the filesystem holding {@code p}, from the host's mount table. */
    private static Path mountPointOf(Path p) throws IOException {
        Path best = Path.of("/");
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            Path point = Path.of(line.split(" ")[4]);
            if (p.startsWith(point) && point.getNameCount() > best.getNameCount()) {
                best = point;
            }
        }
        return best;
    }

    /** The device behind the host's root filesystem, e.g. /dev/vda. */
    private static String rootDevice() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f[4].equals("/")) {
                return line.substring(line.indexOf(" - ") + 3).split(" ")[1];
            }
        }
        throw new IllegalStateException("the host has no root in its mount table");
    }

    private static Map<String, String> readAll(List<String> files) {
        return files.stream().collect(Collectors.toMap(f -> f, f -> {
            try {
                return Files.readString(Path.of(f));
            } catch (IOException e) {
                throw new AssertionError("cannot read " + f, e);
            }
        }));
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
