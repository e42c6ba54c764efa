/*
 * Regains capabilities through a new user namespace (unshare, clone, clone3 with CLONE_NEWUSER), and
 * with them tries what would reach past the sandbox: unmount the /etc/shadow mask and read the file,
 * remount /usr read-write (classic remount and mount_setattr) and create a file in it, and mount a
 * fresh sysfs (allowed to the owner of a network namespace) to write uevent_helper.
 *
 * Must fail inside: the default seccomp filter answers EPERM to unshare and to clone with any
 * CLONE_NEW* flag, and ENOSYS to clone3 (its flags are in memory the filter cannot read). Even in a
 * nested namespace, mounts copied into a less privileged mount namespace are locked by the kernel
 * (MNT_LOCKED: a mask cannot be unmounted; MNT_LOCK_READONLY: a read-only mount stays read-only), and
 * the host's files keep their host owners. Outside, uid 65534 creates a user namespace.
 *
 * Usage: priv_userns
 */
#include "hostile.h"

#include <fcntl.h>
#include <linux/mount.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static void write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY);
    if (fd >= 0) {
        (void)!write(fd, text, strlen(text));
        close(fd);
    }
}

/* In the new user namespace: map ourselves to root there, then try to reach past the sandbox. */
static void with_new_caps(uid_t outer_uid, gid_t outer_gid)
{
    char map[64];
    write_file("/proc/self/setgroups", "deny");
    snprintf(map, sizeof map, "0 %u 1", outer_uid);
    write_file("/proc/self/uid_map", map);
    snprintf(map, sizeof map, "0 %u 1", outer_gid);
    write_file("/proc/self/gid_map", map);
    if (unshare(CLONE_NEWNS | CLONE_NEWNET) < 0) {
        blocked("nested-mount-namespace", errno);
        return;
    }
    if (umount2("/etc/shadow", MNT_DETACH) < 0) {
        blocked("nested-unmask", errno);
    } else {
        char buf[64];
        int fd = open("/etc/shadow", O_RDONLY);
        ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf) : -1;
        if (n > 0) {
            worked("nested-unmask", "read %zd bytes of the real /etc/shadow", n);
        } else {
            note("nested-unmask", "unmounted, but nothing readable behind it");
        }
        if (fd >= 0) {
            close(fd);
        }
    }
    if (mount(NULL, "/usr", NULL, MS_REMOUNT | MS_BIND, NULL) == 0) {
        worked("nested-remount-rw", "/usr remounted read-write");
    } else {
        blocked("nested-remount-rw", errno);
    }
    struct mount_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.attr_clr = MOUNT_ATTR_RDONLY;
    if (syscall(SYS_mount_setattr, AT_FDCWD, "/usr", AT_RECURSIVE, &attr, sizeof attr) == 0) {
        worked("nested-setattr-rw", "/usr made read-write");
    } else {
        blocked("nested-setattr-rw", errno);
    }
    int fd = open("/usr/sandbox-escape-probe", O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd >= 0) {
        worked("nested-write-usr", "created /usr/sandbox-escape-probe");
        close(fd);
        unlink("/usr/sandbox-escape-probe");
    } else {
        blocked("nested-write-usr", errno);
    }
    mkdir("/tmp/escape-sys", 0755);
    if (mount("sysfs", "/tmp/escape-sys", "sysfs", 0, NULL) < 0) {
        blocked("nested-sysfs", errno);
    } else {
        note("nested-sysfs", "mounted a sysfs of the nested network namespace");
        fd = open("/tmp/escape-sys/kernel/uevent_helper", O_WRONLY);
        if (fd >= 0) {
            worked("nested-uevent-helper", "open for writing");
            close(fd);
        } else {
            blocked("nested-uevent-helper", errno);
        }
    }
}

/* After a clone that asked for a new user namespace: the child exits 42 at once, the parent reports. */
static void report_clone(const char *step, long c)
{
    if (c == 0) {
        _exit(42);
    }
    if (c < 0) {
        blocked(step, errno);
        return;
    }
    int ws;
    waitpid((pid_t)c, &ws, 0);
    if (WIFEXITED(ws) && WEXITSTATUS(ws) == 42) {
        worked(step, "a child ran in a new user namespace");
    } else {
        refused(step, "child-failed");
    }
}

int main(void)
{
    uid_t uid = getuid();
    gid_t gid = getgid();

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (unshare(CLONE_NEWUSER) < 0) {
            blocked("unshare-user", errno);
            exit(ATTEMPT_BLOCKED);
        }
        worked("unshare-user", "a new user namespace with every capability in it");
        with_new_caps(uid, gid);
        exit(verdict());
    }
    int ws;
    waitpid(pid, &ws, 0);
    count_child(ws);

    fflush(stdout);
    report_clone("clone-user", syscall(SYS_clone, (unsigned long)(CLONE_NEWUSER | SIGCHLD), NULL, NULL, NULL, 0UL));

    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = CLONE_NEWUSER;
    args.exit_signal = SIGCHLD;
    fflush(stdout);
    report_clone("clone3-user", syscall(SYS_clone3, &args, sizeof args));
    return verdict();
}
