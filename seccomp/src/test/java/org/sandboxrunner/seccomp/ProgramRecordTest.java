package org.sandboxrunner.seccomp;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.sandboxrunner.policy.SeccompAction;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.sandboxrunner.seccomp.Specs.allow;
import static org.sandboxrunner.seccomp.Specs.spec;

/** The stored form of a compiled filter: it reads back whole, and no other bytes read as it. */
class ProgramRecordTest {
    private static final String KEY = "ab".repeat(32);
    private static final CompiledFilter FILTER = SeccompCompiler.create().compile(spec(SeccompAction.SCMP_ACT_KILL_PROCESS,
            OptionalInt.empty(), List.of("SCMP_ARCH_X86"), allow(List.of("read", "write", "exit_group", "not_a_syscall_here"))));
    private static final byte[] RECORD = ProgramRecord.encode(KEY, FILTER);

    @Test
    void readsBackEveryField() {
        CompiledFilter back = ProgramRecord.decode(KEY, RECORD);
        assertArrayEquals(FILTER.bytes(), back.bytes());
        assertEquals(FILTER.pfc(), back.pfc());
        assertEquals(FILTER.skippedSyscalls(), back.skippedSyscalls());
        assertEquals(FILTER.usesNotify(), back.usesNotify());
        assertEquals(FILTER.loadFlags(), back.loadFlags());
        assertEquals(FILTER.architectures(), back.architectures());
        assertEquals(FILTER.libseccompVersion(), back.libseccompVersion());
    }

    /** A flipped bit anywhere, in the fields or in the stored hash, is caught. */
    @Property(tries = 300)
    void anyChangedByteIsRefused(@ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int at,
                                 @ForAll @IntRange(min = 0, max = 7) int bit) {
        byte[] changed = RECORD.clone();
        changed[at % changed.length] ^= (byte) (1 << bit);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProgramRecord.decode(KEY, changed));
        assertEquals("its content does not match the SHA-256 stored with it", e.getMessage());
    }

    @Property(tries = 100)
    void anyShorterOrLongerRecordIsRefused(@ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int length) {
        int other = length % (RECORD.length * 2);
        if (other == RECORD.length) {
            return;
        }
        byte[] cut = Arrays.copyOf(RECORD, other);
        assertThrows(IllegalArgumentException.class, () -> ProgramRecord.decode(KEY, cut));
    }

    @Property(tries = 20)
    void aRecordReadUnderAnotherKeyIsRefused(@ForAll @IntRange(min = 0, max = 15) int digit) {
        String other = Integer.toHexString(digit).repeat(64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProgramRecord.decode(other, RECORD));
        assertEquals("it was stored under key " + KEY, e.getMessage());
    }
}
