/*
 * Prints the layout of struct scmp_arg_cmp as the C compiler lays it out, for ScmpArgCmpLayoutTest.
 * The definitions have the shape of libseccomp's seccomp.h (2.5), written out here so that the test
 * needs no libseccomp-dev headers.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum scmp_compare {
	_SCMP_CMP_MIN = 0,
	SCMP_CMP_NE = 1,
	SCMP_CMP_LT = 2,
	SCMP_CMP_LE = 3,
	SCMP_CMP_EQ = 4,
	SCMP_CMP_GE = 5,
	SCMP_CMP_GT = 6,
	SCMP_CMP_MASKED_EQ = 7,
	_SCMP_CMP_MAX,
};

typedef uint64_t scmp_datum_t;

struct scmp_arg_cmp {
	unsigned int arg;
	enum scmp_compare op;
	scmp_datum_t datum_a;
	scmp_datum_t datum_b;
};

int main(void)
{
	struct scmp_arg_cmp pair[2];

	printf("size %zu\n", sizeof(struct scmp_arg_cmp));
	printf("stride %td\n", (char *)&pair[1] - (char *)&pair[0]);
	printf("arg %zu\n", offsetof(struct scmp_arg_cmp, arg));
	printf("op %zu\n", offsetof(struct scmp_arg_cmp, op));
	printf("datumA %zu\n", offsetof(struct scmp_arg_cmp, datum_a));
	printf("datumB %zu\n", offsetof(struct scmp_arg_cmp, datum_b));
	printf("opSize %zu\n", sizeof(enum scmp_compare));
	return 0;
}
