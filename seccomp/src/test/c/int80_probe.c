/*
 * int80_probe NR: makes syscall NR (an i386 number, passed by the test) through the 32-bit int 0x80
 * gate from 64-bit code and prints "ret N". The kernel then presents it to seccomp as
 * AUDIT_ARCH_I386. Kernels without IA32 emulation (or with it disabled) have no gate at 0x80 and
 * the instruction faults (SIGSEGV) before any syscall code runs.
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	long nr, ret;

	if (argc != 2) {
		fprintf(stderr, "usage: %s NR\n", argv[0]);
		return 2;
	}
	nr = strtol(argv[1], NULL, 0);
	/* The kernel clears r8-r11 when returning from int 0x80 to 64-bit code. */
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr) : "memory", "r8", "r9", "r10", "r11", "cc");
	printf("ret %ld\n", ret);
	return 0;
}
