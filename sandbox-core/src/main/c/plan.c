#include "plan.h"

#include <linux/mount.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>

struct reader {
    char *p;
    size_t left;
};

static int take(struct reader *r, void *out, size_t n)
{
    if (r->left < n) {
        return -1;
    }
    memcpy(out, r->p, n);
    r->p += n;
    r->left -= n;
    return 0;
}

static int take_u32(struct reader *r, uint32_t *v) { return take(r, v, sizeof *v); }
static int take_u64(struct reader *r, uint64_t *v) { return take(r, v, sizeof *v); }

/* A NUL-terminated string inside the payload. */
static int take_str(struct reader *r, const char **s)
{
    char *end = memchr(r->p, '\0', r->left);
    if (end == NULL) {
        return -1;
    }
    *s = r->p;
    size_t n = (size_t)(end - r->p) + 1;
    r->p += n;
    r->left -= n;
    return 0;
}

/* A payload that is exactly one string. */
static int whole_str(struct reader *r, const char **s)
{
    return take_str(r, s) == 0 && r->left == 0 ? 0 : -1;
}

/* A whole payload of struct sock_filter (8 bytes each); the kernel takes at most BPF_MAXINSNS (4096). */
static int take_program(struct reader *r, const void **prog, size_t *len, const char **what)
{
    if (r->left == 0 || r->left % 8 != 0 || r->left / 8 > 4096) {
        *what = "seccomp program is not a whole number of instructions (1..4096)";
        return -1;
    }
    *prog = r->p;
    *len = r->left;
    r->p += r->left;
    r->left = 0;
    return 0;
}

static int parse_record(struct plan *p, uint16_t tag, struct reader *r, const char **what)
{
    switch (tag) {
    case TAG_NAMESPACES:
        return take_u32(r, &p->namespaces);
    case TAG_UID_MAP:
        return whole_str(r, &p->uid_map);
    case TAG_GID_MAP:
        return whole_str(r, &p->gid_map);
    case TAG_SETGROUPS_DENY:
        return take_u32(r, &p->setgroups_deny);
    case TAG_CGROUP_PROCS:
        if (p->n_cgroups == MAX_CGROUPS) {
            *what = "too many cgroup files";
            return -1;
        }
        return whole_str(r, &p->cgroup_procs[p->n_cgroups++]);
    case TAG_NEWROOT:
        return whole_str(r, &p->newroot);
    case TAG_MOUNT: {
        if (p->n_mounts == MAX_MOUNTS) {
            *what = "too many mounts";
            return -1;
        }
        struct mount_entry *m = &p->mounts[p->n_mounts++];
        if (take_u32(r, &m->kind) || take_u32(r, &m->flags) || take_str(r, &m->source)
                || take_str(r, &m->target) || take_str(r, &m->data)) {
            return -1;
        }
        if (m->kind < MOUNT_BIND || m->kind > MOUNT_OVERLAY || m->target[0] != '/'
                || (m->kind == MOUNT_OVERLAY && (p->n_mounts != 1 || m->target[1] != '\0'))) {
            *what = "bad mount record";
            return -1;
        }
        return 0;
    }
    case TAG_MOUNT_INHERITED: {
        if (p->n_mounts == MAX_MOUNTS) {
            *what = "too many mounts";
            return -1;
        }
        struct mount_entry *m = &p->mounts[p->n_mounts++];
        m->kind = MOUNT_INHERITED;
        m->source = "an inherited mount descriptor";
        m->data = "";
        /* 0-5 are the helper's own descriptors (helper.c). */
        if (take_u32(r, &m->inherited_fd) || take_u32(r, &m->flags) || whole_str(r, &m->target)) {
            return -1;
        }
        if (m->inherited_fd < 6 || m->inherited_fd > INT32_MAX || m->target[0] != '/') {
            *what = "bad inherited mount record";
            return -1;
        }
        return 0;
    }
    case TAG_HOSTNAME:
        return whole_str(r, &p->hostname);
    case TAG_RLIMIT: {
        if (p->n_rlimits == MAX_RLIMITS) {
            *what = "too many rlimits";
            return -1;
        }
        struct rlimit_entry *e = &p->rlimits[p->n_rlimits++];
        return take_u64(r, &e->soft) || take_u64(r, &e->hard) ? -1 : whole_str(r, &e->name);
    }
    case TAG_SETUP_IDS:
        p->has_setup_ids = 1;
        return take_u32(r, &p->setup_uid) || take_u32(r, &p->setup_gid);
    case TAG_USER: {
        uint32_t n;
        p->has_user = 1;
        if (take_u32(r, &p->uid) || take_u32(r, &p->gid) || take_u32(r, &p->umask) || take_u32(r, &n)) {
            return -1;
        }
        if (n > MAX_GROUPS) {
            *what = "too many supplementary groups";
            return -1;
        }
        p->n_groups = n;
        return take(r, p->groups, n * sizeof(uint32_t));
    }
    case TAG_CAPS:
        p->has_caps = 1;
        return take_u64(r, &p->cap_bounding) || take_u64(r, &p->cap_permitted)
                || take_u64(r, &p->cap_effective) || take_u64(r, &p->cap_inheritable)
                || take_u64(r, &p->cap_ambient) || take_u32(r, &p->securebits)
                || take_u32(r, &p->last_cap);
    case TAG_SECCOMP:
        return take_program(r, &p->seccomp, &p->seccomp_len, what);
    case TAG_SECCOMP_REPORT:
        return take_program(r, &p->seccomp_report, &p->seccomp_report_len, what);
    case TAG_SECCOMP_FLAGS:
        return take_u32(r, &p->seccomp_flags);
    case TAG_ARG:
        if (p->n_args == MAX_ARGS) {
            *what = "too many arguments";
            return -1;
        }
        return whole_str(r, (const char **)&p->argv[p->n_args++]);
    case TAG_ENV:
        if (p->n_env == MAX_ENV) {
            *what = "too many environment variables";
            return -1;
        }
        return whole_str(r, (const char **)&p->envp[p->n_env++]);
    case TAG_CWD:
        return whole_str(r, &p->cwd);
    case TAG_WALL_LIMIT:
        return take_u64(r, &p->wall_limit_us);
    case TAG_CPU_LIMIT:
        return take_u64(r, &p->cpu_limit_us) || take_u32(r, &p->cpu_format) ? -1 : whole_str(r, &p->cpu_usage_file);
    case TAG_OUTPUT_LIMIT:
        return take_u64(r, &p->output_limit);
    case TAG_LOOPBACK:
        return take_u32(r, &p->loopback);
    default:
        *what = "unknown record tag";
        return -1;
    }
}

/*
 * Zeroes the plan except its argv and envp slots (64 KiB of its 77): each slot below n_args or n_env
 * is written by its record before it is read, and the NULL after the last by plan_parse. Zeroing them
 * too would first-touch 16 more pages of the helper's fresh static plan, and each first touch is a
 * page fault: 0.25-0.7 ms per run on this project's VM (docs/performance.md).
 */
static void plan_clear(struct plan *p)
{
    memset(p, 0, offsetof(struct plan, argv));
    p->n_args = 0;
    memset(&p->n_env, 0, sizeof *p - offsetof(struct plan, n_env));
}

int plan_parse(struct plan *p, char *buf, size_t len, const char **what)
{
    plan_clear(p);
    p->output_limit = UINT64_MAX;
    struct reader all = { buf, len };
    while (all.left > 0) {
        uint16_t tag, zero;
        uint32_t n;
        if (take(&all, &tag, 2) || take(&all, &zero, 2) || take_u32(&all, &n) || zero != 0 || n > all.left) {
            *what = "truncated or malformed record header";
            return -1;
        }
        struct reader rec = { all.p, n };
        *what = "malformed record payload";
        if (parse_record(p, tag, &rec, what) != 0) {
            return -1;
        }
        if (rec.left != 0) {
            *what = "record has trailing bytes";
            return -1;
        }
        all.p += n;
        all.left -= n;
    }
    p->argv[p->n_args] = NULL;
    p->envp[p->n_env] = NULL;
    if (p->n_args == 0 || p->newroot == NULL || p->cwd == NULL || p->uid_map == NULL || p->gid_map == NULL
            || !p->has_user || !p->has_caps || !p->has_setup_ids || (p->namespaces & NS_USER) == 0) {
        *what = "plan lacks a required record (argv, newroot, cwd, id maps, user, caps, setup ids, user namespace)";
        return -1;
    }
    if (p->seccomp_report != NULL && (p->seccomp == NULL || !(p->seccomp_flags & SECCOMP_FILTER_FLAG_NEW_LISTENER))) {
        *what = "a seccomp report program needs the notifying program and SECCOMP_FILTER_FLAG_NEW_LISTENER";
        return -1;
    }
    return 0;
}

uint64_t mount_attr_bits(uint32_t flags)
{
    uint64_t a = 0;
    if (flags & MNT_RDONLY) a |= MOUNT_ATTR_RDONLY;
    if (flags & MNT_NOSUID) a |= MOUNT_ATTR_NOSUID;
    if (flags & MNT_NODEV) a |= MOUNT_ATTR_NODEV;
    if (flags & MNT_NOEXEC) a |= MOUNT_ATTR_NOEXEC;
    return a;
}
