package org.sandboxrunner.seccomp;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Hand-assembled programs: the kernel's load-time checks and each instruction's meaning. */
class BpfProgramTest {
    private static byte[] program(int[]... instructions) {
        ByteBuffer buffer = ByteBuffer.allocate(instructions.length * 8).order(ByteOrder.nativeOrder());
        for (int[] i : instructions) {
            buffer.putShort((short) i[0]).put((byte) i[1]).put((byte) i[2]).putInt(i[3]);
        }
        return buffer.array();
    }

    private static int[] insn(int code, int jt, int jf, int k) {
        return new int[] {code, jt, jf, k};
    }

    private static final int LD_ABS = 0x20;
    private static final int RET_K = 0x06;
    private static final int RET_A = 0x16;
    private static final int JEQ_K = 0x15;

    private static String refusal(byte[] bytes) {
        return assertThrows(SeccompException.class, () -> BpfProgram.parse(bytes)).getMessage();
    }

    @Test
    void loadTimeChecks() {
        assertEquals("BPF program is 7 bytes, not a multiple of 8 (sizeof(struct sock_filter))", refusal(new byte[7]));
        assertEquals("BPF program has 0 instructions; the kernel accepts 1 to 4096 (BPF_MAXINSNS)", refusal(new byte[0]));
        assertEquals("BPF program has 4097 instructions; the kernel accepts 1 to 4096 (BPF_MAXINSNS)", refusal(new byte[4097 * 8]));
        assertEquals("BPF instruction 0 loads seccomp_data offset 2; only aligned 32-bit words inside the 64-byte seccomp_data"
                + " can be loaded", refusal(program(insn(LD_ABS, 0, 0, 2), insn(RET_K, 0, 0, 0))));
        assertEquals("BPF instruction 0 loads seccomp_data offset 64; only aligned 32-bit words inside the 64-byte seccomp_data"
                + " can be loaded", refusal(program(insn(LD_ABS, 0, 0, 64), insn(RET_K, 0, 0, 0))));
        assertEquals("BPF instruction 0 has opcode 0x28, which seccomp does not allow",
                refusal(program(insn(0x28, 0, 0, 0), insn(RET_K, 0, 0, 0))), "16-bit loads");
        assertEquals("BPF instruction 0 branches past the end of the program", refusal(program(insn(JEQ_K, 1, 0, 0), insn(RET_K, 0, 0, 0))));
        assertEquals("BPF instruction 0 jumps 1 past the end of the program", refusal(program(insn(0x05, 0, 0, 1), insn(RET_K, 0, 0, 0))));
        assertEquals("BPF instruction 0 divides by the constant 0", refusal(program(insn(0x34, 0, 0, 0), insn(RET_K, 0, 0, 0))));
        assertEquals("BPF instruction 0 uses scratch word 16 of 16", refusal(program(insn(0x02, 0, 0, 16), insn(RET_K, 0, 0, 0))));
        assertEquals("BPF instruction 0 shifts by 32, 32 or more", refusal(program(insn(0x64, 0, 0, 32), insn(RET_K, 0, 0, 0))));
        assertEquals("BPF program does not end with a return instruction (last opcode 0x20)", refusal(program(insn(LD_ABS, 0, 0, 0))));
    }

    @Test
    void evaluatesLoadsJumpsArithmeticAndScratchMemory() {
        // A = nr; if (A == 39) return ERRNO(7); M[3] = A; X = 5; A = (A + X) * 2 - 1 ^ 0; A >>= 1; A |= arg0.lo; return A
        BpfProgram program = BpfProgram.parse(program(
                insn(LD_ABS, 0, 0, 0),
                insn(JEQ_K, 0, 1, 39),
                insn(RET_K, 0, 0, 0x0005_0007),
                insn(0x02, 0, 0, 3),
                insn(0x01, 0, 0, 5),
                insn(0x0c, 0, 0, 0),
                insn(0x24, 0, 0, 2),
                insn(0x14, 0, 0, 1),
                insn(0x74, 0, 0, 1),
                insn(0x07, 0, 0, 0),
                insn(0x60, 0, 0, 3),
                insn(0x4c, 0, 0, 0),
                insn(0x61, 0, 0, 3),
                insn(0x20, 0, 0, 16),
                insn(0x4c, 0, 0, 0),
                insn(RET_A, 0, 0, 0)));
        assertEquals(0x0005_0007, program.evaluate(SeccompData.of(0xc000003e, 39)));
        // nr = 10: ((10 + 5) * 2 - 1) >> 1 = 14; TAX; A = M[3] = 10; A |= X -> 14; X = M[3]; A = arg0.lo (0x100) | X (10)
        assertEquals(0x10a, program.evaluate(SeccompData.of(0xc000003e, 10, 0x1_0000_0100L)));
    }

    @Test
    void divisionByZeroAtRunTimeKillsAndJumpsCompareUnsigned() {
        BpfProgram divide = BpfProgram.parse(program(insn(0x01, 0, 0, 0), insn(LD_ABS, 0, 0, 0), insn(0x3c, 0, 0, 0), insn(RET_A, 0, 0, 0)));
        assertEquals(0, divide.evaluate(SeccompData.of(0, 8)), "A / X with X = 0 returns 0 (SECCOMP_RET_KILL_THREAD)");
        BpfProgram unsigned = BpfProgram.parse(program(insn(LD_ABS, 0, 0, 0), insn(0x35, 0, 1, 0x4000_0000), insn(RET_K, 0, 0, 1),
                insn(RET_K, 0, 0, 2)));
        assertEquals(1, unsigned.evaluate(SeccompData.of(0, -1)), "0xffffffff >= 0x40000000");
        assertEquals(2, unsigned.evaluate(SeccompData.of(0, 3)));
        assertEquals(64, BpfProgram.parse(program(insn(0x80, 0, 0, 0), insn(RET_A, 0, 0, 0))).evaluate(SeccompData.of(0, 0)),
                "BPF_LEN is sizeof(struct seccomp_data)");
        assertThrows(IllegalArgumentException.class, () -> SeccompData.of(0, 0, 1, 2, 3, 4, 5, 6, 7));
    }
}
