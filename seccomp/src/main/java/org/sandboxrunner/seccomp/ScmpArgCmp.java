package org.sandboxrunner.seccomp;

import com.sun.jna.Structure;

/**
 * {@code struct scmp_arg_cmp} from seccomp.h: {@code unsigned int arg; enum scmp_compare op;
 * scmp_datum_t datum_a; scmp_datum_t datum_b;}. On LP64 the two 32-bit fields fill the first 8 bytes,
 * so the 64-bit data sit at offsets 8 and 16 and the struct is 24 bytes (ScmpArgCmpLayoutTest checks
 * this against gcc). Arrays for seccomp_rule_add_array must be contiguous: build them with
 * {@link #array(int)}. Public only because JNA reads and writes the fields reflectively; it is no part
 * of this module's API (which is JNA-free: {@link SeccompCompiler}, {@link SyscallNames}).
 */
@Structure.FieldOrder({"arg", "op", "datumA", "datumB"})
public final class ScmpArgCmp extends Structure {
    public int arg;
    public int op;
    public long datumA;
    public long datumB;

    public ScmpArgCmp() {
        super();
    }

    /** A contiguous native array of {@code count} structs, as seccomp_rule_add_array reads it. */
    static ScmpArgCmp[] array(int count) {
        return (ScmpArgCmp[]) new ScmpArgCmp().toArray(count);
    }

    /** Offset of a field as JNA lays it out, for the layout test. */
    int offsetOf(String field) {
        return fieldOffset(field);
    }
}
