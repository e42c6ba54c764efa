/*
 * memfd and exec tricks: copies its own binary into an anonymous memfd (a file on no mount the
 * sandbox controls), marks it set-user-ID and set-group-ID, tries to give it file capabilities
 * (security.capability), and executes it with fexecve and through /proc/self/fd/N. The executed copy
 * compares what it holds with what its parent held: fewer restrictions (no_new_privs cleared, the
 * seccomp filter gone, new capabilities, another effective uid) would be an escape.
 *
 * Must fail inside: no_new_privs survives every execve and makes the kernel ignore set-user-ID bits
 * and file capabilities; the seccomp filter is inherited across exec; writing security.capability
 * needs CAP_SETFCAP; the capability bounding set is empty. Outside the same copy runs (the mechanism
 * works), so a refusal inside is not the program's fault.
 *
 * Usage: fs_memfd_exec
 */
#include "hostile.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>

struct held {
    unsigned long long cap_eff;
    int nnp, seccomp;
    unsigned euid;
};

static struct held read_held(void)
{
    struct held h = { 0, 0, 0, (unsigned)geteuid() };
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL) {
        broken("status", errno);
    }
    char line[256];
    while (fgets(line, sizeof line, f) != NULL) {
        sscanf(line, "CapEff: %llx", &h.cap_eff);
        sscanf(line, "NoNewPrivs: %d", &h.nnp);
        sscanf(line, "Seccomp: %d", &h.seccomp);
    }
    fclose(f);
    return h;
}

/* The executed copy: exit 0 when it holds more than its parent did. */
static int report(char **argv)
{
    struct held parent = { strtoull(argv[2], NULL, 16), atoi(argv[3]), atoi(argv[4]), (unsigned)atoi(argv[5]) };
    struct held now = read_held();
    printf("note exec-copy cap_eff=%llx nnp=%d seccomp=%d euid=%u\n", now.cap_eff, now.nnp, now.seccomp, now.euid);
    if ((now.cap_eff & ~parent.cap_eff) != 0 || now.nnp < parent.nnp || now.seccomp < parent.seccomp
            || now.euid != parent.euid) {
        worked("privilege", "the copy holds more than its parent");
        return ATTEMPT_WORKED;
    }
    refused("privilege", "same-as-parent");
    return ATTEMPT_BLOCKED;
}

static void run_copy(const char *how, int memfd, const struct held *h)
{
    char cap[32], nnp[16], sc[16], euid[16], fdpath[64];
    snprintf(cap, sizeof cap, "%llx", h->cap_eff);
    snprintf(nnp, sizeof nnp, "%d", h->nnp);
    snprintf(sc, sizeof sc, "%d", h->seccomp);
    snprintf(euid, sizeof euid, "%u", h->euid);
    char *args[] = { "payload", "--report", cap, nnp, sc, euid, NULL };
    char *env[] = { NULL };
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (strcmp(how, "fexecve") == 0) {
            fexecve(memfd, args, env);
        } else {
            snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", memfd);
            execve(fdpath, args, env);
        }
        blocked(how, errno);
        exit(ATTEMPT_BLOCKED);
    }
    int ws;
    waitpid(pid, &ws, 0);
    if (WIFEXITED(ws) && (WEXITSTATUS(ws) == ATTEMPT_WORKED || WEXITSTATUS(ws) == ATTEMPT_BLOCKED)) {
        note(how, "the memfd copy ran");
    }
    count_child(ws);
}

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], "--report") == 0) {
        return report(argv);
    }
    struct held h = read_held();
    int memfd = memfd_create("payload", 0);
    if (memfd < 0) {
        broken("memfd_create", errno);
    }
    int self = open("/proc/self/exe", O_RDONLY);
    if (self < 0) {
        broken("open-self", errno);
    }
    char buf[65536];
    ssize_t n;
    while ((n = read(self, buf, sizeof buf)) > 0) {
        if (write(memfd, buf, (size_t)n) != n) {
            broken("copy", errno);
        }
    }
    close(self);
    /* Its own file: setting the bits is allowed, and must not matter at exec. */
    if (fchmod(memfd, 06755) < 0) {
        blocked("setuid-bit", errno);
    } else {
        note("setuid-bit", "set on the memfd");
    }
    struct vfs_cap_data caps;
    memset(&caps, 0, sizeof caps);
    caps.magic_etc = VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE;
    caps.data[0].permitted = (1u << CAP_DAC_OVERRIDE) | (1u << CAP_SETUID) | (1u << CAP_SYS_ADMIN);
    caps.data[0].inheritable = 0;
    if (fsetxattr(memfd, "security.capability", &caps, XATTR_CAPS_SZ_2, 0) < 0) {
        blocked("file-caps", errno);
    } else {
        note("file-caps", "security.capability set on the memfd");
    }
    run_copy("fexecve", memfd, &h);
    run_copy("proc-fd-exec", memfd, &h);
    return verdict();
}
