/*
 * syscall_probe NR [ARG...]: makes one raw syscall with up to six arguments and prints "ret N" or
 * "errno N". The test passes numbers it got from libseccomp, so no syscall number is compiled in.
 * A raw syscall keeps glibc from rewriting the errno the filter returned.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static unsigned long number(const char *text)
{
	char *end;
	unsigned long value;

	errno = 0;
	value = *text == '-' ? (unsigned long)strtol(text, &end, 0) : strtoul(text, &end, 0);
	if (*text == '\0' || *end != '\0' || errno != 0) {
		fprintf(stderr, "syscall_probe: bad number '%s'\n", text);
		exit(2);
	}
	return value;
}

int main(int argc, char **argv)
{
	unsigned long a[6] = { 0 };
	long nr, ret;
	int i;

	if (argc < 2 || argc > 8) {
		fprintf(stderr, "usage: %s NR [ARG...] (at most six arguments)\n", argv[0]);
		return 2;
	}
	nr = (long)number(argv[1]);
	for (i = 2; i < argc; i++)
		a[i - 2] = number(argv[i]);
	errno = 0;
	ret = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (ret == -1 && errno != 0)
		printf("errno %d\n", errno);
	else
		printf("ret %ld\n", ret);
	return 0;
}
