/*
 * One launch of the native stage (helper.c), run by a clone of the fork server (server.c) that shares
 * its memory, once its descriptors 0-5 (and any inherited mounts) are in place. Sets all the state it
 * uses and scrubs the plan and the relayed output before it returns the process's exit status.
 */
#ifndef SANDBOX_HELPER_H
#define SANDBOX_HELPER_H

int helper_run(void);

#endif
