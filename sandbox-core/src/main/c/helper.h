/*
 * One launch of the native stage (helper.c), run by a child of the fork server (server.c) once its
 * descriptors 0-5 (and any inherited mounts) are in place. Returns the process's exit status.
 */
#ifndef SANDBOX_HELPER_H
#define SANDBOX_HELPER_H

int helper_run(void);

#endif
