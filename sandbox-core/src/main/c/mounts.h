#ifndef SANDBOX_MOUNTS_H
#define SANDBOX_MOUNTS_H

#include "plan.h"

/*
 * Opens every bind source as a detached mount tree (open_tree(2) with OPEN_TREE_CLONE), in the
 * helper, before clone. The sources are resolved with the runner's own authority: inside the new user
 * namespace, host directories the sandbox's ids may not traverse (a 0700 parent, say) could not be
 * looked up at all. The trees get their read-only/nosuid/nodev/noexec attributes here, recursively,
 * and the sandbox's init only moves them into place (move_mount(2)).
 *
 * An unprivileged runner cannot clone trees (EPERM); the entries then keep tree_fd -1 and are bound
 * by path from inside, with the sandbox's ids. Returns 0, or -1 after reporting the failure.
 */
int open_mount_sources(struct plan *p, int report_fd);

#endif
