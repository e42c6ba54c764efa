/*
 * Kernel interfaces that have been the way in for kernel exploits, or that change the whole machine:
 * one family per run, named by the first argument.
 *
 *   bpf          BPF_MAP_CREATE and BPF_PROG_LOAD (the verifier is a large attack surface)
 *   perf         perf_event_open on itself (a long record of privilege escalations)
 *   userfaultfd  userfaultfd (used to win kernel races by stalling page faults)
 *   io_uring     io_uring_setup (a second syscall interface that seccomp does not see into)
 *   keyctl       add_key into a new session keyring (keys are shared by uid, not by namespace)
 *   personality  READ_IMPLIES_EXEC, ADDR_NO_RANDOMIZE, ADDR_COMPAT_LAYOUT, MMAP_PAGE_ZERO (weaken NX and
 *                address-space randomisation, map page zero for NULL-pointer kernel bugs); PER_LINUX32
 *                and UNAME26, which only change what uname reports, are allowed by Docker's profile
 *                and by this one
 *   modules      delete_module, finit_module, init_module
 *   kexec        kexec_load, kexec_file_load
 *   reboot       reboot
 *   swapon       swapon
 *
 * The last four are called with arguments the kernel rejects after its permission check (a module
 * that does not exist, bad flags, a bad magic number, a NULL path), so that outside, as root, they
 * change nothing and fail with EINVAL, EFAULT or ENOENT, or ENOSYS where this kernel lacks them;
 * inside they must be refused with EPERM, by the seccomp filter or for want of a capability in the
 * initial user namespace. The first six must fail inside (the default seccomp filter answers EPERM,
 * or ENOSYS for what it does not list) and work outside.
 *
 * Usage: priv_kernel FAMILY
 */
#include "hostile.h"

#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/io_uring.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>
#include <linux/userfaultfd.h>
#include <sys/personality.h>
#include <sys/syscall.h>

static long closing(long fd)
{
    if (fd >= 0) {
        close((int)fd);
    }
    return fd;
}

static void bpf(void)
{
    union bpf_attr a;
    memset(&a, 0, sizeof a);
    a.map_type = BPF_MAP_TYPE_ARRAY;
    a.key_size = 4;
    a.value_size = 4;
    a.max_entries = 1;
    step_result("bpf-map", closing(syscall(SYS_bpf, BPF_MAP_CREATE, &a, sizeof a)));
    struct bpf_insn prog[] = {
        { .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
        { .code = BPF_JMP | BPF_EXIT },
    };
    memset(&a, 0, sizeof a);
    a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
    a.insns = (unsigned long)prog;
    a.insn_cnt = 2;
    a.license = (unsigned long)"GPL";
    step_result("bpf-prog", closing(syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof a)));
}

static void perf(void)
{
    struct perf_event_attr p;
    memset(&p, 0, sizeof p);
    p.type = PERF_TYPE_SOFTWARE;
    p.size = sizeof p;
    p.config = PERF_COUNT_SW_CPU_CLOCK;
    p.exclude_kernel = 1;
    p.exclude_hv = 1;
    step_result("perf_event_open", closing(syscall(SYS_perf_event_open, &p, 0, -1, -1, 0)));
}

static void uffd(void)
{
    step_result("userfaultfd", closing(syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY)));
    step_result("dev-userfaultfd", closing(open("/dev/userfaultfd", O_RDWR | O_CLOEXEC)));
}

static void uring(void)
{
    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    step_result("io_uring_setup", closing(syscall(SYS_io_uring_setup, 4, &p)));
}

static void keys(void)
{
    long ring = syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL);
    if (ring < 0) {
        blocked("join-session-keyring", errno);
    } else {
        note("join-session-keyring", "%ld", ring);
    }
    step_result("add_key", syscall(SYS_add_key, "user", "sandbox-escape", "x", 1, KEY_SPEC_SESSION_KEYRING));
}

static void persona(void)
{
    int wanted[] = { READ_IMPLIES_EXEC, ADDR_NO_RANDOMIZE, ADDR_COMPAT_LAYOUT, MMAP_PAGE_ZERO };
    const char *names[] = { "read-implies-exec", "addr-no-randomize", "addr-compat-layout", "mmap-page-zero" };
    for (int i = 0; i < 4; i++) {
        if (personality((unsigned long)wanted[i]) < 0) {
            blocked(names[i], errno);
            continue;
        }
        int now = personality(0xffffffff);
        if (now >= 0 && (now & wanted[i]) == wanted[i]) {
            worked(names[i], "personality is now %#x", now);
        } else {
            refused(names[i], "not-applied");
        }
        personality(PER_LINUX);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        broken("usage", EINVAL);
    }
    const char *f = argv[1];
    if (strcmp(f, "bpf") == 0) {
        bpf();
    } else if (strcmp(f, "perf") == 0) {
        perf();
    } else if (strcmp(f, "userfaultfd") == 0) {
        uffd();
    } else if (strcmp(f, "io_uring") == 0) {
        uring();
    } else if (strcmp(f, "keyctl") == 0) {
        keys();
    } else if (strcmp(f, "personality") == 0) {
        persona();
    } else if (strcmp(f, "modules") == 0) {
        step_result("delete_module", syscall(SYS_delete_module, "sandbox_escape_none", O_NONBLOCK));
        step_result("finit_module", syscall(SYS_finit_module, -1, "", 0));
        step_result("init_module", syscall(SYS_init_module, NULL, 0, ""));
    } else if (strcmp(f, "kexec") == 0) {
        step_result("kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, 0xdead0000UL));
        step_result("kexec_file_load", syscall(SYS_kexec_file_load, -1, -1, 0, "", 0xdead0000UL));
    } else if (strcmp(f, "reboot") == 0) {
        step_result("reboot", syscall(SYS_reboot, 0, 0, 0, NULL));
    } else if (strcmp(f, "swapon") == 0) {
        step_result("swapon", syscall(SYS_swapon, NULL, 0));
    } else {
        broken("family", EINVAL);
    }
    return verdict();
}
