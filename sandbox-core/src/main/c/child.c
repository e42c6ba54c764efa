/*
 * The sandbox's init: runs as pid 1 of the new pid namespace, inside the new user namespace, and
 * applies the plan in the documented order (docs/ARCHITECTURE.md). Each step reports "step NAME" on
 * success; the first failure reports "fail NAME ERRNO DETAIL" and exits, so nothing after a failed
 * step is applied and the workload never starts (fail closed).
 *
 * Only async-signal-safe calls and raw syscalls are used here: this code runs after clone(2).
 */
#define _GNU_SOURCE
#include "child.h"
#include "notify.h"
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SECBIT_KEEP_CAPS
#define SECBIT_KEEP_CAPS (1u << 4)
#endif

static int status_fd = -1;
/* The socket the listener goes to the helper on; -1 when the run has no denied-syscall report. */
static int notify_fd = -1;

static void die(const char *step, int err, const char *detail) __attribute__((noreturn));
static void die(const char *step, int err, const char *detail)
{
    report_fail(status_fd, step, err, detail);
    report_release();
    _exit(125);
}

static void must(int rc, const char *step, const char *detail)
{
    if (rc < 0) {
        die(step, errno, detail);
    }
}

/* ---- mounts ---------------------------------------------------------------------------------- */

static int mount_setattr_rec(const char *path, uint64_t set, int recursive)
{
    struct mount_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.attr_set = set;
    return (int)syscall(SYS_mount_setattr, AT_FDCWD, path, recursive ? AT_RECURSIVE : 0, &attr, sizeof attr);
}

static unsigned long mount_flags_classic(uint32_t flags)
{
    unsigned long f = 0;
    if (flags & MNT_RDONLY) f |= MS_RDONLY;
    if (flags & MNT_NOSUID) f |= MS_NOSUID;
    if (flags & MNT_NODEV) f |= MS_NODEV;
    if (flags & MNT_NOEXEC) f |= MS_NOEXEC;
    return f;
}

/* mkdir -p inside the new root; the root is our own tmpfs, so nothing here reaches the host. */
static int make_dirs(char *path)
{
    for (char *s = path + 1; *s != '\0'; s++) {
        if (*s == '/') {
            *s = '\0';
            int rc = mkdir(path, 0755);
            *s = '/';
            if (rc < 0 && errno != EEXIST) {
                return -1;
            }
        }
    }
    return mkdir(path, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

static int make_file(char *path)
{
    char *slash = strrchr(path, '/');
    if (slash != NULL && slash != path) {
        *slash = '\0';
        int rc = make_dirs(path);
        *slash = '/';
        if (rc < 0) {
            return -1;
        }
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
        return errno == EEXIST ? 0 : -1;
    }
    close(fd);
    return 0;
}

/*
 * Binds a source at target (inside the new root). With a tree opened by the helper, the tree already
 * carries its attributes and is only moved into place; without one (unprivileged runner), the source
 * is bound by path with the sandbox's own ids, then given its attributes recursively.
 */
static void bind_into(const char *source, int tree_fd, char *target, uint32_t flags, const char *step)
{
    struct stat st;
    int path_fd = -1;
    char via[48];
    if (tree_fd >= 0) {
        must(fstat(tree_fd, &st), step, source);
    } else {
        /* As the helper does: never follow a symlink to the source (mounts.c clone_tree). */
        struct open_how how;
        memset(&how, 0, sizeof how);
        how.flags = O_PATH | O_CLOEXEC;
        how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
        path_fd = (int)syscall(SYS_openat2, AT_FDCWD, source, &how, sizeof how);
        if (path_fd < 0 && (flags & MNT_OPTIONAL) && errno == ENOENT) {
            return;
        }
        must(path_fd, step, source);
        must(fstat(path_fd, &st), step, source);
    }
    must(S_ISDIR(st.st_mode) ? make_dirs(target) : make_file(target), step, target);
    if (tree_fd >= 0) {
        must((int)syscall(SYS_move_mount, tree_fd, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH), step, source);
        close(tree_fd);
        return;
    }
    char digits[24];
    u64_text(digits, (uint64_t)path_fd);
    if (str_join(via, sizeof via, "/proc/self/fd/", digits) < 0) {
        die(step, ENAMETOOLONG, source);
    }
    must(mount(via, target, NULL, MS_BIND | MS_REC, NULL), step, source);
    close(path_fd);
    uint64_t attrs = mount_attr_bits(flags);
    if (attrs != 0) {
        /* mount_setattr(2) changes every mount of the bound tree at once; a classic remount would
           leave submounts of a read-only bind writable. */
        must(mount_setattr_rec(target, attrs, 1), step, target);
    }
}

static void minimal_dev(const struct plan *p, char *target, const char *data, uint32_t flags, const char *step)
{
    static const char *const links[][2] = {
        { "/proc/self/fd", "fd" }, { "/proc/self/fd/0", "stdin" },
        { "/proc/self/fd/1", "stdout" }, { "/proc/self/fd/2", "stderr" },
    };
    char path[4096];
    must(make_dirs(target), step, target);
    /* nodev too: the nodes are bind mounts of their own, and nothing else here may act as a device. */
    must(mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0755,size=64k,nr_inodes=64"), step, target);
    for (size_t i = 0; i < DEV_NODES; i++) {
        /* dev_node_names are "/dev/NAME": the same name under the new /dev */
        if (str_join(path, sizeof path, target, dev_node_names[i] + 4)) {
            die(step, ENAMETOOLONG, target);
        }
        bind_into(dev_node_names[i], p->dev_fds[i], path, MNT_NOSUID | MNT_NOEXEC, step);
    }
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        if (str_join(path, sizeof path, target, "/") || str_join(path, sizeof path, path, links[i][1])) {
            die(step, ENAMETOOLONG, target);
        }
        must(symlink(links[i][0], path), step, path);
    }
    /* POSIX shared memory (shm_open) lives in /dev/shm; it is private to this run. */
    if (str_join(path, sizeof path, target, "/shm")) {
        die(step, ENAMETOOLONG, target);
    }
    must(make_dirs(path), step, path);
    must(mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, data), step, path);
    /* The /dev tmpfs itself becomes read-only; /dev/shm is a separate mount and stays writable. */
    must(mount_setattr_rec(target, MOUNT_ATTR_RDONLY | mount_attr_bits(flags), 0), step, target);
}

static void mount_before_pivot(const struct plan *p, const struct mount_entry *m)
{
    static const char step[] = "mounts";
    char target[4096];
    if (str_join(target, sizeof target, p->newroot, m->target)) {
        die(step, ENAMETOOLONG, m->target);
    }
    switch (m->kind) {
    case MOUNT_BIND:
        if (!m->skip) {
            bind_into(m->source, m->tree_fd, target, m->flags, step);
        }
        break;
    case MOUNT_INHERITED:
        /* The helper took the runner's detached mount as this tree; moving it closes our copy. */
        bind_into(m->source, m->tree_fd, target, m->flags, step);
        break;
    case MOUNT_TMPFS:
        must(make_dirs(target), step, m->target);
        /* nosuid,nodev whatever the plan says: no set-user-ID file or device node on a tmpfs of the run. */
        must(mount("tmpfs", target, "tmpfs", mount_flags_classic(m->flags) | MS_NOSUID | MS_NODEV, m->data), step,
             m->target);
        break;
    case MOUNT_PROC:
        must(make_dirs(target), step, m->target);
        must(mount("proc", target, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL), step, m->target);
        break;
    case MOUNT_DEV:
        minimal_dev(p, target, m->data, m->flags, step);
        break;
    case MOUNT_SYMLINK: {
        char *slash = strrchr(target, '/');
        *slash = '\0';
        must(make_dirs(target), step, m->target);
        *slash = '/';
        must(symlink(m->source, target), step, m->target);
        break;
    }
    default:
        break; /* MASK and READONLY run after pivot_root */
    }
}

static void mount_after_pivot(const struct mount_entry *m)
{
    static const char step[] = "masks";
    struct stat st;
    if (lstat(m->target, &st) < 0) {
        if (errno == ENOENT) {
            return; /* nothing to hide or protect */
        }
        die(step, errno, m->target);
    }
    if (m->kind == MOUNT_READONLY) {
        must(mount(m->target, m->target, NULL, MS_BIND | MS_REC, NULL), step, m->target);
        must(mount_setattr_rec(m->target, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, 1), step, m->target);
    } else if (S_ISDIR(st.st_mode)) {
        must(mount("tmpfs", m->target, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0k,nr_inodes=1,mode=0"),
             step, m->target);
    } else {
        must(mount("/dev/null", m->target, NULL, MS_BIND, NULL), step, m->target);
        must(mount_setattr_rec(m->target, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, 0), step, m->target);
    }
}

static void build_root(const struct plan *p)
{
    /* Nothing we mount may propagate back to the host's mount namespace (mount_namespaces(7)). */
    must(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), "mount-private", "/");
    report_step(status_fd, "mount-private");

    int image = p->n_mounts > 0 && p->mounts[0].kind == MOUNT_OVERLAY;
    if (image) {
        /* The helper built the image's overlay; it becomes the root as it is. */
        must((int)syscall(SYS_move_mount, p->mounts[0].tree_fd, "", AT_FDCWD, p->newroot, MOVE_MOUNT_F_EMPTY_PATH),
             "rootfs", p->newroot);
    } else {
        must(mount("tmpfs", p->newroot, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m,nr_inodes=4096"), "rootfs",
             p->newroot);
    }
    report_step(status_fd, "rootfs");

    for (size_t i = 0; i < p->n_mounts; i++) {
        mount_before_pivot(p, &p->mounts[i]);
    }
    report_step(status_fd, "mounts");

    /* pivot_root(".", ".") stacks the old root on top of the new one; detaching it leaves only the
       new root (the trick runc uses, documented in pivot_root(2)). */
    must(chdir(p->newroot), "pivot-root", p->newroot);
    must((int)syscall(SYS_pivot_root, ".", "."), "pivot-root", p->newroot);
    must(umount2(".", MNT_DETACH), "pivot-root", "old root");
    must(chdir("/"), "pivot-root", "/");
    report_step(status_fd, "pivot-root");

    for (size_t i = 0; i < p->n_mounts; i++) {
        if (p->mounts[i].kind == MOUNT_MASK || p->mounts[i].kind == MOUNT_READONLY) {
            mount_after_pivot(&p->mounts[i]);
        }
    }
    if (!image) {
        /* The root tmpfs only holds mount points: make it read-only so nothing can be created beside
           them. An image's root stays writable: its upper layer is a throwaway tmpfs. */
        must(mount_setattr_rec("/", MOUNT_ATTR_RDONLY, 0), "masks", "/");
    }
    report_step(status_fd, "masks");
}

/* ---- host name and network ------------------------------------------------------------------- */

static void set_hostname(const struct plan *p)
{
    if (p->hostname != NULL) {
        must(sethostname(p->hostname, str_len(p->hostname)), "hostname", p->hostname);
        report_step(status_fd, "hostname");
    }
}

static void loopback_up(const struct plan *p)
{
    if (!p->loopback) {
        return;
    }
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    must(s, "loopback", "socket");
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    memcpy(ifr.ifr_name, "lo", 3);
    must(ioctl(s, SIOCGIFFLAGS, &ifr), "loopback", "SIOCGIFFLAGS lo");
    ifr.ifr_flags |= IFF_UP;
    must(ioctl(s, SIOCSIFFLAGS, &ifr), "loopback", "SIOCSIFFLAGS lo");
    close(s);
    report_step(status_fd, "loopback");
}

/* ---- rlimits --------------------------------------------------------------------------------- */

static const struct {
    const char *name;
    int resource;
} rlimit_names[] = {
    { "RLIMIT_CPU", RLIMIT_CPU }, { "RLIMIT_FSIZE", RLIMIT_FSIZE }, { "RLIMIT_DATA", RLIMIT_DATA },
    { "RLIMIT_STACK", RLIMIT_STACK }, { "RLIMIT_CORE", RLIMIT_CORE }, { "RLIMIT_RSS", RLIMIT_RSS },
    { "RLIMIT_NPROC", RLIMIT_NPROC }, { "RLIMIT_NOFILE", RLIMIT_NOFILE }, { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
    { "RLIMIT_AS", RLIMIT_AS }, { "RLIMIT_LOCKS", RLIMIT_LOCKS }, { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
    { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE }, { "RLIMIT_NICE", RLIMIT_NICE }, { "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
    { "RLIMIT_RTTIME", RLIMIT_RTTIME },
};

static int rlimit_resource(const char *name)
{
    for (size_t i = 0; i < sizeof rlimit_names / sizeof rlimit_names[0]; i++) {
        if (str_eq(rlimit_names[i].name, name)) {
            return rlimit_names[i].resource;
        }
    }
    return -1;
}

static void apply_rlimits(const struct plan *p)
{
    for (size_t i = 0; i < p->n_rlimits; i++) {
        const struct rlimit_entry *e = &p->rlimits[i];
        int res = rlimit_resource(e->name);
        if (res < 0) {
            die("rlimits", EINVAL, e->name);
        }
        struct rlimit rl = { .rlim_cur = e->soft, .rlim_max = e->hard };
        must(setrlimit(res, &rl), "rlimits", e->name);
    }
    report_step(status_fd, "rlimits");
}

/* ---- credentials and capabilities ------------------------------------------------------------ */

static int capset_all(uint64_t effective, uint64_t permitted, uint64_t inheritable)
{
    struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct data[2] = {
        { (uint32_t)effective, (uint32_t)permitted, (uint32_t)inheritable },
        { (uint32_t)(effective >> 32), (uint32_t)(permitted >> 32), (uint32_t)(inheritable >> 32) },
    };
    return (int)syscall(SYS_capset, &hdr, data);
}

/*
 * The order the kernel requires (capabilities(7)): the bounding set can only be lowered while
 * CAP_SETPCAP is effective, so it goes first; KEEP_CAPS keeps the permitted set across the uid
 * switch; capset then sets exactly the profile's sets, and ambient capabilities can only be raised
 * once they are in both permitted and inheritable.
 */
static void apply_credentials(const struct plan *p)
{
    for (uint32_t cap = 0; cap <= p->last_cap; cap++) {
        if (!(p->cap_bounding & (1ULL << cap))) {
            must(prctl(PR_CAPBSET_DROP, cap, 0, 0, 0), "bounding", "PR_CAPBSET_DROP");
        }
    }
    report_step(status_fd, "bounding");

    must(prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS, 0, 0, 0), "credentials", "PR_SET_SECUREBITS keep_caps");
    if (!p->setgroups_deny) {
        gid_t groups[MAX_GROUPS];
        for (size_t i = 0; i < p->n_groups; i++) {
            groups[i] = p->groups[i];
        }
        must(setgroups(p->n_groups, groups), "credentials", "setgroups");
    }
    must(setresgid(p->gid, p->gid, p->gid), "credentials", "setresgid");
    must(setresuid(p->uid, p->uid, p->uid), "credentials", "setresuid");
    umask(p->umask);
    report_step(status_fd, "credentials");

    /* The uid switch may have cleared the effective set; take back what is still permitted (a new
       user namespace starts with the full set, user_namespaces(7)) so CAP_SETPCAP is effective for
       the inheritable set, the ambient raise and the securebits. Ambient capabilities must be in
       permitted and inheritable when raised, and must be raised before a securebit such as
       no_cap_ambient_raise forbids it; the final capset then lowers the sets to exactly the plan's,
       which keeps ambient because the plan's ambient is within its permitted and inheritable. */
    uint64_t all = p->last_cap >= 63 ? ~0ULL : (1ULL << (p->last_cap + 1)) - 1;
    must(capset_all(all, all, p->cap_inheritable), "capabilities", "capset (inheritable)");
    must(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "capabilities", "PR_CAP_AMBIENT_CLEAR_ALL");
    for (uint32_t cap = 0; cap <= p->last_cap; cap++) {
        if (p->cap_ambient & (1ULL << cap)) {
            must(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0), "capabilities", "PR_CAP_AMBIENT_RAISE");
        }
    }
    must(prctl(PR_SET_SECUREBITS, p->securebits, 0, 0, 0), "capabilities", "PR_SET_SECUREBITS");
    must(capset_all(p->cap_effective, p->cap_permitted, p->cap_inheritable), "capabilities", "capset");
    report_step(status_fd, "capabilities");

    must(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no-new-privs", "PR_SET_NO_NEW_PRIVS");
    if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) {
        die("no-new-privs", EPERM, "PR_GET_NO_NEW_PRIVS does not read back 1");
    }
    report_step(status_fd, "no-new-privs");
}

/* ---- proof of state -------------------------------------------------------------------------- */

struct observed {
    uint64_t bounding, permitted, effective, inheritable, ambient;
    uint32_t securebits;
    uid_t ruid, euid, suid;
    gid_t rgid, egid, sgid;
    int ngroups;
    gid_t groups[MAX_GROUPS];
    int nnp;
};

static void observe(const struct plan *p, struct observed *o)
{
    struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct data[2];
    memset(o, 0, sizeof *o);
    must((int)syscall(SYS_capget, &hdr, data), "verify-state", "capget");
    o->effective = data[0].effective | ((uint64_t)data[1].effective << 32);
    o->permitted = data[0].permitted | ((uint64_t)data[1].permitted << 32);
    o->inheritable = data[0].inheritable | ((uint64_t)data[1].inheritable << 32);
    for (uint32_t cap = 0; cap <= p->last_cap; cap++) {
        if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1) o->bounding |= 1ULL << cap;
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0) == 1) o->ambient |= 1ULL << cap;
    }
    o->securebits = (uint32_t)prctl(PR_GET_SECUREBITS, 0, 0, 0, 0);
    must(getresuid(&o->ruid, &o->euid, &o->suid), "verify-state", "getresuid");
    must(getresgid(&o->rgid, &o->egid, &o->sgid), "verify-state", "getresgid");
    o->ngroups = getgroups(MAX_GROUPS, o->groups);
    must(o->ngroups, "verify-state", "getgroups");
    o->nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
}

/*
 * Reads a whole procfs file into buf (NUL-terminated); returns its length, or -1 with errno set.
 * procfs files are generated per read(2) call (seq_file), so read until EOF.
 */
static ssize_t read_proc(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    size_t n = 0;
    while (n < size - 1) {
        ssize_t r = read(fd, buf + n, size - 1 - n);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            int saved = errno;
            close(fd);
            errno = saved;
            return -1;
        }
        if (r == 0) {
            break;
        }
        n += (size_t)r;
    }
    close(fd);
    if (n == size - 1) {
        errno = EFBIG; /* never report a cut table as the whole one */
        return -1;
    }
    buf[n] = '\0';
    return (ssize_t)n;
}

/* Sends every line of a procfs file as "state KIND WORD..." (whitespace-separated words). */
static void send_words(const char *path, const char *kind)
{
    static char buf[4096];
    must((int)read_proc(path, buf, sizeof buf), "verify-state", path);
    for (char *line = buf; *line != '\0';) {
        char *nl = strchr(line, '\n');
        if (nl != NULL) {
            *nl = '\0';
        }
        struct line l;
        line_start(&l, "state ");
        line_str(&l, kind);
        char *save = NULL;
        for (char *w = strtok_r(line, " \t", &save); w != NULL; w = strtok_r(NULL, " \t", &save)) {
            line_word(&l, w);
        }
        line_send(&l, status_fd);
        if (nl == NULL) {
            break;
        }
        line = nl + 1;
    }
}

/*
 * The mount table as the sandbox sees it, one "state mount POINT OPTIONS FSTYPE" per mountinfo line
 * (proc(5): field 5 is the mount point, with space, tab, newline and backslash octal-escaped by the
 * kernel; field 6 the per-mount options; the file system type follows the "-" separator).
 */
static void send_mounts(void)
{
    static char buf[1 << 18];
    must((int)read_proc("/proc/self/mountinfo", buf, sizeof buf), "verify-state", "/proc/self/mountinfo");
    char *save_line = NULL;
    for (char *line = strtok_r(buf, "\n", &save_line); line != NULL; line = strtok_r(NULL, "\n", &save_line)) {
        char *field[7] = { 0 };
        char *save = NULL, *fstype = NULL;
        int n = 0, after_dash = 0;
        for (char *w = strtok_r(line, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save)) {
            if (after_dash) {
                fstype = w;
                break;
            }
            if (n < 7) {
                field[n] = w;
            }
            n++;
            after_dash = n > 6 && str_eq(w, "-");
        }
        if (fstype == NULL) {
            die("verify-state", EINVAL, "/proc/self/mountinfo line without a file system type");
        }
        struct line l;
        line_start(&l, "state mount");
        line_word(&l, field[4]);
        line_word(&l, field[5]);
        line_word(&l, fstype);
        line_send(&l, status_fd);
    }
}

static void send_state(const struct plan *p, const struct observed *o)
{
    struct line l;
    line_start(&l, "state caps");
    line_hex(&l, o->bounding);
    line_hex(&l, o->permitted);
    line_hex(&l, o->effective);
    line_hex(&l, o->inheritable);
    line_hex(&l, o->ambient);
    line_u64(&l, o->securebits);
    line_send(&l, status_fd);

    line_start(&l, "state ids");
    line_u64(&l, o->ruid);
    line_u64(&l, o->euid);
    line_u64(&l, o->suid);
    line_u64(&l, o->rgid);
    line_u64(&l, o->egid);
    line_u64(&l, o->sgid);
    line_send(&l, status_fd);

    line_start(&l, "state groups");
    for (int i = 0; i < o->ngroups; i++) {
        line_u64(&l, o->groups[i]);
    }
    line_send(&l, status_fd);

    line_start(&l, "state nnp");
    line_u64(&l, (uint64_t)o->nnp);
    line_send(&l, status_fd);

    for (size_t i = 0; i < p->n_rlimits; i++) {
        struct rlimit rl;
        must(getrlimit(rlimit_resource(p->rlimits[i].name), &rl), "verify-state", p->rlimits[i].name);
        line_start(&l, "state rlimit");
        line_word(&l, p->rlimits[i].name);
        line_u64(&l, rl.rlim_cur);
        line_u64(&l, rl.rlim_max);
        line_send(&l, status_fd);
    }

    static const char *const ns[] = { "user", "pid", "mnt", "ipc", "uts", "net", "cgroup" };
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        char path[64];
        struct stat st;
        if (str_join(path, sizeof path, "/proc/self/ns/", ns[i]) == 0 && stat(path, &st) == 0) {
            line_start(&l, "state ns");
            line_word(&l, ns[i]);
            line_u64(&l, (uint64_t)st.st_ino);
            line_send(&l, status_fd);
        }
    }

    send_words("/proc/self/uid_map", "uidmap");
    send_words("/proc/self/gid_map", "gidmap");
    send_words("/proc/self/setgroups", "setgroups");
    struct utsname uts;
    must(uname(&uts), "verify-state", "uname");
    line_start(&l, "state hostname");
    line_word(&l, uts.nodename);
    line_send(&l, status_fd);
    send_mounts();
}

/*
 * Reads back what the kernel now holds, sends it to the runner and waits for its answer: the runner
 * compares the state with the plan, field by field (StateComparison), and answers one byte through
 * the helper, 'g' to go on. Anything else, or the helper gone, stops the run before exec. The gate is
 * the runner's alone: this stage holds no copy of the comparison (docs/ARCHITECTURE.md).
 */
static void verify_state(const struct plan *p, int gate_fd)
{
    struct observed o;
    observe(p, &o);
    send_state(p, &o);
    struct line l;
    line_start(&l, "state end");
    line_send(&l, status_fd);
    report_release(); /* the set-up's steps and the whole state, in as few writes as fit */
    char answer = 0;
    ssize_t n;
    do {
        n = read(gate_fd, &answer, 1);
    } while (n < 0 && errno == EINTR);
    close(gate_fd);
    if (n != 1 || answer != 'g') {
        die("verify-state", EPERM, n == 1 ? "the runner found differences" : "no answer from the runner");
    }
    report_step(status_fd, "verify-state");
}

/*
 * The workload's seccomp state, read after exec: the filter is the workload's own last step before
 * execve, so it cannot be read back before. Its mode and filter count come from the workload's
 * /proc/PID/status (proc(5), "Seccomp" and "Seccomp_filters"; the init has not reaped it yet, so the
 * entry exists even if it already ended). The plan's filter must be there: mode 2 with at least one
 * filter (the workload may stack its own after exec). A mismatch kills the run.
 */
static void verify_seccomp(const struct plan *p, pid_t pid)
{
    static char buf[8192];
    char path[48], digits[24];
    u64_text(digits, (uint64_t)pid);
    if (str_join(path, sizeof path, "/proc/", digits) < 0 || str_join(path, sizeof path, path, "/status") < 0) {
        kill(pid, SIGKILL);
        die("verify-seccomp", ENAMETOOLONG, digits);
    }
    if (read_proc(path, buf, sizeof buf) < 0) {
        int saved = errno;
        kill(pid, SIGKILL);
        die("verify-seccomp", saved, path);
    }
    const char *mode = strstr(buf, "\nSeccomp:\t"), *filters = strstr(buf, "\nSeccomp_filters:\t");
    if (mode == NULL || filters == NULL) {
        kill(pid, SIGKILL);
        die("verify-seccomp", ENOENT, "no Seccomp/Seccomp_filters line in the workload's status");
    }
    uint64_t m = 0, f = 0;
    for (mode += 10; *mode >= '0' && *mode <= '9'; mode++) m = m * 10 + (uint64_t)(*mode - '0');
    for (filters += 18; *filters >= '0' && *filters <= '9'; filters++) f = f * 10 + (uint64_t)(*filters - '0');
    struct line l;
    line_start(&l, "state seccomp");
    line_u64(&l, m);
    line_u64(&l, f);
    line_send(&l, status_fd);
    if (p->seccomp != NULL && (m != SECCOMP_MODE_FILTER || f < 1)) {
        kill(pid, SIGKILL);
        die("verify-seccomp", EPERM, "the workload runs without the plan's seccomp filter");
    }
    report_step(status_fd, "verify-seccomp");
}

/* ---- the workload ---------------------------------------------------------------------------- */

static void reset_signals(void)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) {
        sigaction(sig, &dfl, NULL); /* fails harmlessly for SIGKILL, SIGSTOP and reserved signals */
    }
}

/*
 * Hands the seccomp listener to the helper (SCM_RIGHTS) and closes this copy. A descriptor in flight in
 * a unix socket keeps its file open (unix(7)), so no answer is awaited: the helper may take it after
 * exec. The runner checked that the profile's filter allows sendmsg, so this call is not notified. If
 * it fails anyway, closing the last copy breaks the listener and the kernel answers every notified
 * call with ENOSYS: still refused, never a hang. Returns 0 or the errno of sendmsg(2).
 */
static int send_listener(int listener)
{
    struct fd_message m;
    fd_message_init(&m);
    struct cmsghdr *c = CMSG_FIRSTHDR(&m.msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &listener, sizeof listener);
    ssize_t n;
    do {
        n = sendmsg(notify_fd, &m.msg, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    int err = n < 0 ? errno : 0;
    close(listener);
    close(notify_fd);
    return err;
}

/* Closes every descriptor above stdio except keep (and notify_fd when the run has a report). */
static int close_others(int keep)
{
    int a = keep, b = notify_fd;
    if (b >= 0 && b < a) {
        a = notify_fd;
        b = keep;
    }
    if (a > 3 && syscall(SYS_close_range, 3, a - 1, 0) < 0) {
        return -1;
    }
    if (b >= 0 && b > a + 1 && syscall(SYS_close_range, a + 1, b - 1, 0) < 0) {
        return -1;
    }
    return (int)syscall(SYS_close_range, (b >= 0 ? b : a) + 1, ~0U, 0);
}

/* Returns 0, or the errno of seccomp(2). The filter was compiled by the runner with libseccomp. */
static int load_seccomp(const struct plan *p)
{
    if (p->seccomp == NULL) {
        return 0;
    }
    struct sock_fprog prog = { .len = (unsigned short)(p->seccomp_len / 8), .filter = (struct sock_filter *)p->seccomp };
    long listener = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, p->seccomp_flags, &prog);
    if (listener < 0) {
        return errno;
    }
    if (p->seccomp_report == NULL) {
        return 0;
    }
    return send_listener((int)listener);
}

static const char *env_path(const struct plan *p)
{
    for (size_t i = 0; i < p->n_env; i++) {
        if (strncmp(p->envp[i], "PATH=", 5) == 0) {
            return p->envp[i] + 5;
        }
    }
    return "/usr/bin:/bin";
}

/* execvpe(3) is not async-signal-safe; this is its search, by hand. Returns the errno to report. */
static int exec_search(const struct plan *p)
{
    const char *file = p->argv[0];
    if (strchr(file, '/') != NULL) {
        execve(file, p->argv, p->envp);
        return errno;
    }
    int saw_eacces = 0;
    const char *dir = env_path(p);
    char path[4096];
    while (1) {
        const char *end = strchr(dir, ':');
        size_t n = end != NULL ? (size_t)(end - dir) : str_len(dir);
        if (n + 1 + str_len(file) + 1 <= sizeof path) {
            memcpy(path, dir, n);
            path[n] = '/';
            memcpy(path + n + 1, file, str_len(file) + 1);
            execve(n == 0 ? file : path, p->argv, p->envp);
            if (errno == EACCES) {
                saw_eacces = 1;
            } else if (errno != ENOENT && errno != ENOTDIR) {
                return errno;
            }
        }
        if (end == NULL) {
            return saw_eacces ? EACCES : ENOENT;
        }
        dir = end + 1;
    }
}

struct exec_failure {
    int err;
    char step[16];
};

static void workload(const struct plan *p, int exec_pipe) __attribute__((noreturn));
static void workload(const struct plan *p, int exec_pipe)
{
    struct exec_failure f;
    memset(&f, 0, sizeof f);
    /* Only stdio, the close-on-exec failure pipe and the close-on-exec listener socket survive: no
       descriptor of the runner, the helper or the setup reaches the workload (the CVE-2024-21626 class). */
    if (close_others(exec_pipe) < 0) {
        memcpy(f.step, "fds", 4);
        f.err = errno;
    } else if (reset_signals(), setsid() < 0) {
        memcpy(f.step, "setsid", 7);
        f.err = errno;
    } else if ((f.err = load_seccomp(p)) != 0) {
        /* The filter goes last, so every step before it may use any syscall. */
        memcpy(f.step, "seccomp", 8);
    } else {
        memcpy(f.step, "exec", 5);
        f.err = exec_search(p);
    }
    (void)!write(exec_pipe, &f, sizeof f);
    _exit(127);
}

/* Relays the workload's end to the helper as "exit WSTATUS utime_us stime_us maxrss_kb minflt majflt nvcsw nivcsw". */
static void report_exit(int wstatus, const struct rusage *ru)
{
    struct line l;
    line_start(&l, "exit");
    line_u64(&l, (uint64_t)(unsigned int)wstatus);
    line_u64(&l, (uint64_t)ru->ru_utime.tv_sec * 1000000u + (uint64_t)ru->ru_utime.tv_usec);
    line_u64(&l, (uint64_t)ru->ru_stime.tv_sec * 1000000u + (uint64_t)ru->ru_stime.tv_usec);
    line_u64(&l, (uint64_t)ru->ru_maxrss);
    line_u64(&l, (uint64_t)ru->ru_minflt);
    line_u64(&l, (uint64_t)ru->ru_majflt);
    line_u64(&l, (uint64_t)ru->ru_nvcsw);
    line_u64(&l, (uint64_t)ru->ru_nivcsw);
    line_send(&l, status_fd);
}

struct workload_start {
    const struct plan *p;
    const struct child_fds *fds;
    int exec_pipe[2];
};

static int workload_main(void *arg)
{
    const struct workload_start *w = arg;
    close(w->exec_pipe[0]);
    /* stdio: stdin as given, stdout and stderr into the helper's relay pipes. */
    if (dup2(w->fds->out, 1) < 0 || dup2(w->fds->err, 2) < 0) {
        struct exec_failure f = { errno, "fds" };
        (void)!write(w->exec_pipe[1], &f, sizeof f);
        _exit(127);
    }
    workload(w->p, w->exec_pipe[1]);
}

/*
 * The workload's stack until its execve. It shares the init's memory until then (CLONE_VM|CLONE_VFORK,
 * as glibc's posix_spawn does): no copy of the init's page tables, no copy-on-write faults in either,
 * no second address space to tear down at exec (fork and exec of /bin/true: 2.63 ms here, this way
 * 1.93 ms; bench/forkcost fork-exec, vfork-exec).
 * The init is suspended until the execve or the _exit, and the child writes nothing the init reads
 * but its own stack and errno, and its descriptor table, signal actions and seccomp filter are its
 * own (no CLONE_FILES, CLONE_SIGHAND or CLONE_THREAD). Its deepest frame is exec_search's 4 KiB path.
 */
static char workload_stack[64 * 1024] __attribute__((aligned(16)));

static void start_and_reap(const struct plan *p, const struct child_fds *fds) __attribute__((noreturn));
static void start_and_reap(const struct plan *p, const struct child_fds *fds)
{
    struct workload_start w = { p, fds, { -1, -1 } };
    must(pipe2(w.exec_pipe, O_CLOEXEC), "exec", "pipe2");
    int *exec_pipe = w.exec_pipe;
    /* init stays in the sandbox with the workload's uid; with dumpable off, the workload (holding no
       CAP_SYS_PTRACE) cannot ptrace it to run code outside the seccomp filter. */
    must(prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "exec", "PR_SET_DUMPABLE");
    pid_t pid = clone(workload_main, workload_stack + sizeof workload_stack, CLONE_VM | CLONE_VFORK | SIGCHLD, &w);
    must(pid, "exec", "clone");
    close(exec_pipe[1]);
    close(fds->out);
    close(fds->err);
    if (notify_fd >= 0) {
        close(notify_fd); /* the workload holds the only other copy: EOF tells the helper it is gone */
    }
    struct exec_failure f;
    ssize_t n;
    do {
        n = read(exec_pipe[0], &f, sizeof f);
    } while (n < 0 && errno == EINTR);
    close(exec_pipe[0]);
    if (n == (ssize_t)sizeof f) {
        f.step[sizeof f.step - 1] = '\0';
        report_fail(status_fd, f.step, f.err, p->argv[0]);
        _exit(125);
    }
    report_step(status_fd, "exec");
    verify_seccomp(p, pid);

    /* Reap everything reparented to us; the run ends when the workload itself ends. Returning from
       pid 1 makes the kernel kill every other process of the namespace (pid_namespaces(7)). */
    while (1) {
        int wstatus;
        struct rusage ru;
        pid_t done = wait4(-1, &wstatus, 0, &ru);
        if (done == pid) {
            report_exit(wstatus, &ru);
            _exit(0);
        }
        if (done < 0 && errno != EINTR) {
            die("reap", errno, "wait4");
        }
    }
}

void child_main(const struct plan *p, const struct child_fds *fds)
{
    status_fd = fds->status;
    notify_fd = fds->notify;
    /* If the helper dies (any signal), the init dies too, and with it the whole pid namespace. Set
       before waiting for the release: a helper that died before this point closes the release pipe,
       and the read below ends the init. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) {
        _exit(125);
    }
    char byte;
    ssize_t n;
    do {
        n = read(fds->release, &byte, 1);
    } while (n < 0 && errno == EINTR);
    if (n != 1) {
        _exit(125); /* the helper is gone or refused to release us: it has reported why */
    }
    close(fds->release);
    report_hold(status_fd); /* released at the state gate, or by die() */

    must(setresgid(p->setup_gid, p->setup_gid, p->setup_gid), "setup-ids", "setresgid");
    must(setresuid(p->setup_uid, p->setup_uid, p->setup_uid), "setup-ids", "setresuid");
    if (p->namespaces & NS_CGROUP) {
        /* Entered only now, after the helper placed us in the run's cgroup, so that cgroup becomes
           the root of the namespace's view (cgroup_namespaces(7)). */
        must(unshare(CLONE_NEWCGROUP), "cgroup-namespace", "unshare(CLONE_NEWCGROUP)");
    }
    build_root(p);
    set_hostname(p);
    loopback_up(p);
    must(chdir(p->cwd), "cwd", p->cwd);
    apply_rlimits(p);
    apply_credentials(p);
    verify_state(p, fds->gate);
    start_and_reap(p, fds);
}
