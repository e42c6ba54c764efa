/*
 * Test-only stand-in for the last steps of the runner's native stage: seccomp_exec FILTER FLAGS
 * PROGRAM [ARG...] reads raw BPF (struct sock_filter[]) from FILTER, disables core dumps (a filter
 * kill raises SIGSYS, which would otherwise dump core), sets no_new_privs, loads the filter with
 * seccomp(SECCOMP_SET_MODE_FILTER, FLAGS, &prog) and execs PROGRAM. Exit 125: setup failed.
 * A listener fd (FLAGS with SECCOMP_FILTER_FLAG_NEW_LISTENER) is close-on-exec, so the program runs
 * with no listener attached and SCMP_ACT_NOTIFY syscalls fail with ENOSYS.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_INSNS 4096

int main(int argc, char **argv)
{
	static struct sock_filter insns[MAX_INSNS + 1];
	struct sock_fprog prog;
	struct rlimit no_core = { 0, 0 };
	size_t size = 0;
	ssize_t n;
	char *end;
	unsigned long flags;
	int fd;

	if (argc < 4) {
		fprintf(stderr, "usage: %s FILTER FLAGS PROGRAM [ARG...]\n", argv[0]);
		return 125;
	}
	flags = strtoul(argv[2], &end, 0);
	if (*argv[2] == '\0' || *end != '\0') {
		fprintf(stderr, "seccomp_exec: bad flags '%s'\n", argv[2]);
		return 125;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "seccomp_exec: open %s: %s\n", argv[1], strerror(errno));
		return 125;
	}
	while ((n = read(fd, (char *)insns + size, sizeof(insns) - size)) > 0)
		size += (size_t)n;
	if (n < 0) {
		fprintf(stderr, "seccomp_exec: read %s: %s\n", argv[1], strerror(errno));
		return 125;
	}
	close(fd);
	if (size == 0 || size % sizeof(struct sock_filter) != 0 || size > MAX_INSNS * sizeof(struct sock_filter)) {
		fprintf(stderr, "seccomp_exec: %s holds %zu bytes, not 1 to %d instructions\n", argv[1], size, MAX_INSNS);
		return 125;
	}
	prog.len = (unsigned short)(size / sizeof(struct sock_filter));
	prog.filter = insns;

	if (setrlimit(RLIMIT_CORE, &no_core) != 0) {
		fprintf(stderr, "seccomp_exec: setrlimit(RLIMIT_CORE): %s\n", strerror(errno));
		return 125;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) {
		fprintf(stderr, "seccomp_exec: no_new_privs: %s\n", strerror(errno));
		return 125;
	}
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog) < 0) {
		fprintf(stderr, "seccomp_exec: seccomp(SECCOMP_SET_MODE_FILTER, %#lx): %s\n", flags, strerror(errno));
		return 125;
	}
	execv(argv[3], argv + 3);
	/* The filter may deny the write below as well; the exit status still tells. */
	fprintf(stderr, "seccomp_exec: execv %s: %s\n", argv[3], strerror(errno));
	return 126;
}
