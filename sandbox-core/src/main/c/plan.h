/*
 * The launch plan: everything the runner decided, fully resolved, handed to the native stage on fd 3.
 * The native stage executes it and holds no policy of its own.
 *
 * Wire format (native byte order; the runner runs on the same machine): a sequence of records
 *   u16 tag, u16 zero, u32 length, `length` payload bytes
 * Strings are NUL-terminated inside their payload. The Java side (PlanEncoder) writes the same tags.
 */
#ifndef SANDBOX_PLAN_H
#define SANDBOX_PLAN_H

#include <stddef.h>
#include <stdint.h>

enum plan_tag {
    TAG_NAMESPACES = 1,    /* u32 NS_* bits */
    TAG_UID_MAP = 2,       /* str: uid_map(5) text */
    TAG_GID_MAP = 3,       /* str */
    TAG_SETGROUPS_DENY = 4,/* u32 0/1 */
    TAG_CGROUP_PROCS = 5,  /* str, repeated: cgroup.procs files to place the child in */
    TAG_NEWROOT = 6,       /* str: an empty host directory to build the new root on */
    TAG_MOUNT = 7,         /* u32 kind, u32 MNT_* flags, str source, str target, str data */
    TAG_HOSTNAME = 8,      /* str */
    TAG_RLIMIT = 9,        /* u64 soft, u64 hard, str RLIMIT_* name */
    TAG_SETUP_IDS = 10,    /* u32 uid, u32 gid: a mapped identity used while setting up */
    TAG_USER = 11,         /* u32 uid, u32 gid, u32 umask, u32 ngroups, u32 groups[] */
    TAG_CAPS = 12,         /* u64 bounding, permitted, effective, inheritable, ambient; u32 securebits, u32 last_cap */
    TAG_SECCOMP = 13,      /* struct sock_filter[] */
    TAG_SECCOMP_FLAGS = 14,/* u32 SECCOMP_FILTER_FLAG_* bits, passed to seccomp(2) as they are */
    TAG_ARG = 15,          /* str, repeated */
    TAG_ENV = 16,          /* str, repeated */
    TAG_CWD = 17,          /* str */
    TAG_WALL_LIMIT = 18,   /* u64 microseconds */
    TAG_CPU_LIMIT = 19,    /* u64 microseconds, u32 format, str usage file */
    TAG_OUTPUT_LIMIT = 20, /* u64 bytes */
    TAG_LOOPBACK = 21,     /* u32 0/1 */
    /* 40-49: the denied-syscall report (notify.h). */
    TAG_SECCOMP_REPORT = 40, /* struct sock_filter[]: the profile's own program, which decides each notified
                                syscall; present only when TAG_SECCOMP holds its notifying copy and
                                TAG_SECCOMP_FLAGS has SECCOMP_FILTER_FLAG_NEW_LISTENER */
    /* 90-99: mounts handed over as descriptors. */
    TAG_MOUNT_INHERITED = 90, /* u32 fd, u32 MNT_* flags, str target: a detached mount (fsmount(2)) the runner
                                 passed to the helper as descriptor fd, moved to target in plan order; it
                                 never has a path in the host's mount namespace */
};

enum ns_bits {
    NS_USER = 1, NS_PID = 2, NS_MOUNT = 4, NS_IPC = 8, NS_UTS = 16, NS_NET = 32, NS_CGROUP = 64,
};

enum mount_kind {
    MOUNT_BIND = 1,     /* recursive bind of a host path */
    MOUNT_TMPFS = 2,    /* data = tmpfs options */
    MOUNT_PROC = 3,     /* a new procfs for the new pid namespace */
    MOUNT_DEV = 4,      /* a minimal /dev: tmpfs with bound null, zero, full, random, urandom */
    MOUNT_SYMLINK = 5,  /* source = link text */
    MOUNT_MASK = 6,     /* after pivot: hide a path (file: /dev/null over it; dir: empty read-only tmpfs) */
    MOUNT_READONLY = 7, /* after pivot: make a path read-only, recursively */
    MOUNT_OVERLAY = 8,  /* the root itself: source = overlay lowerdir list (topmost first), data = tmpfs
                           options of the throwaway upper layer; must be the first operation */
    MOUNT_INHERITED = 90, /* from TAG_MOUNT_INHERITED only (never a TAG_MOUNT kind): inherited_fd is the tree */
};

enum mount_flags {
    MNT_RDONLY = 1, MNT_NOSUID = 2, MNT_NODEV = 4, MNT_NOEXEC = 8,
    MNT_OPTIONAL = 16, /* skip when the source (or, for MASK/READONLY, the target) does not exist */
};

enum cpu_format {
    CPU_FORMAT_NANOSECONDS = 0, /* cgroup v1 cpuacct.usage */
    CPU_FORMAT_CPU_STAT = 1,    /* cgroup v2 cpu.stat "usage_usec N" */
};

#define MAX_MOUNTS 256
#define MAX_ARGS 4096
#define MAX_ENV 4096
#define MAX_RLIMITS 16
#define MAX_GROUPS 64
#define MAX_CGROUPS 16
#define MAX_PLAN_BYTES (16u << 20)

struct mount_entry {
    uint32_t kind;
    uint32_t flags;
    const char *source;
    const char *target;
    const char *data;
    /* Filled by the helper before clone (mounts.c): a detached copy of the source tree opened with
       the runner's own authority, or -1 to bind by path from inside; whether the source is a
       directory; whether an optional source was missing. */
    int tree_fd;
    int is_dir;
    int skip;
    /* MOUNT_INHERITED: the descriptor number the runner passed the detached mount at. */
    uint32_t inherited_fd;
};

/* The host device nodes a minimal /dev binds, opened like bind sources. */
#define DEV_NODES 5
extern const char *const dev_node_names[DEV_NODES];

struct rlimit_entry {
    uint64_t soft;
    uint64_t hard;
    const char *name;
};

struct plan {
    uint32_t namespaces;
    const char *uid_map;
    const char *gid_map;
    uint32_t setgroups_deny;
    const char *cgroup_procs[MAX_CGROUPS];
    size_t n_cgroups;
    const char *newroot;
    struct mount_entry mounts[MAX_MOUNTS];
    size_t n_mounts;
    const char *hostname;
    struct rlimit_entry rlimits[MAX_RLIMITS];
    size_t n_rlimits;
    int has_setup_ids;
    uint32_t setup_uid, setup_gid;
    int has_user;
    uint32_t uid, gid, umask;
    uint32_t groups[MAX_GROUPS];
    size_t n_groups;
    int has_caps;
    uint64_t cap_bounding, cap_permitted, cap_effective, cap_inheritable, cap_ambient;
    uint32_t securebits, last_cap;
    const void *seccomp;
    size_t seccomp_len;
    uint32_t seccomp_flags;
    const void *seccomp_report;  /* struct sock_filter[], maybe unaligned; NULL: no report for this run */
    size_t seccomp_report_len;   /* bytes */
    char *argv[MAX_ARGS + 1];
    size_t n_args;
    char *envp[MAX_ENV + 1];
    size_t n_env;
    const char *cwd;
    uint64_t wall_limit_us;
    uint64_t cpu_limit_us;
    uint32_t cpu_format;
    const char *cpu_usage_file;
    uint64_t output_limit;
    uint32_t loopback;
    int dev_fds[DEV_NODES];
};

/* The MOUNT_ATTR_* bits (mount_setattr(2)) for a mount record's MNT_* flags. */
uint64_t mount_attr_bits(uint32_t flags);

/*
 * Parses buf (which must outlive the plan). On error returns -1 and sets *what to a static
 * description of the first problem.
 */
int plan_parse(struct plan *p, char *buf, size_t len, const char **what);

#endif
