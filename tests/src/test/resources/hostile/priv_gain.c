/*
 * Privilege through the file it is run from: the test installs copies of this program set-user-ID to
 * the host's root, set-user-ID to the sandbox's root (host uid 100000, mapped to 0 inside), and with
 * file capabilities (setcap cap_dac_override,cap_setuid,cap_sys_admin+ep). Each copy reports what it
 * holds after exec: an effective uid other than the real one, or any effective capability, is a gain.
 *
 * Must fail inside: every bind and the box are mounted nosuid (the kernel then ignores set-user-ID
 * bits and file capabilities), no_new_privs is set (ignored again), the capability bounding set is
 * empty (file capabilities are masked by it), and the host's root is not mapped (a set-user-ID bit
 * to an unmapped owner is ignored). Outside, run by uid 65534, each copy gains.
 *
 * Usage: priv_gain
 */
#include "hostile.h"

int main(void)
{
    unsigned long long eff = 0;
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL) {
        broken("status", errno);
    }
    char line[256];
    while (fgets(line, sizeof line, f) != NULL) {
        sscanf(line, "CapEff: %llx", &eff);
    }
    fclose(f);
    uid_t ruid = getuid(), euid = geteuid();
    if (euid != ruid) {
        worked("setuid", "ruid %u euid %u", ruid, euid);
    } else {
        refused("setuid", "euid-unchanged");
    }
    if (eff != 0 && ruid != 0) {
        worked("file-caps", "CapEff %llx for uid %u", eff, ruid);
    } else {
        refused("file-caps", "no-capabilities");
    }
    return verdict();
}
