/*
 * A classic BPF interpreter for seccomp programs, used by the helper to evaluate the profile's own
 * filter on a notified syscall (the workload runs a copy whose refusals notify the helper instead).
 */
#ifndef SANDBOX_BPF_H
#define SANDBOX_BPF_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Runs prog (len struct sock_filter, in native byte order, possibly unaligned) on d and returns its SECCOMP_RET_* value. Only the instructions
 * seccomp accepts are run (kernel/seccomp.c seccomp_check_filter); every load, scratch access and
 * jump is bounds-checked, and anything outside them, or running off the end, returns
 * SECCOMP_RET_KILL_PROCESS: the caller then stops the process (fail closed).
 */
uint32_t bpf_run(const void *prog, size_t len, const struct seccomp_data *d);

#endif
