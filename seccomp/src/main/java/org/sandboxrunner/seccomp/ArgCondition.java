package org.sandboxrunner.seccomp;

import org.sandboxrunner.policy.SeccompOperator;

import java.util.Objects;

/**
 * One {@code struct scmp_arg_cmp}: argument {@code index} compared with {@code op}. For
 * {@link SeccompOperator#SCMP_CMP_MASKED_EQ} {@code datumA} is the mask and {@code datumB} the value
 * ({@code (arg & datumA) == datumB}); the other operators compare with {@code datumA} only.
 * Data are unsigned 64-bit values held in a {@code long}.
 */
record ArgCondition(int index, SeccompOperator op, long datumA, long datumB) {
    ArgCondition {
        Objects.requireNonNull(op, "op");
        if (index < 0 || index > 5) {
            throw new IllegalArgumentException("argument index must be between 0 and 5, got " + index);
        }
    }

    @Override
    public String toString() {
        String a = Long.toUnsignedString(datumA);
        return op == SeccompOperator.SCMP_CMP_MASKED_EQ
                ? "a" + index + " & " + a + " == " + Long.toUnsignedString(datumB)
                : "a" + index + " " + op.name().substring("SCMP_CMP_".length()) + " " + a;
    }
}
