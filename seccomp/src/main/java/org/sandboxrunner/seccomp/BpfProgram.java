package org.sandboxrunner.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A classic BPF seccomp program (an array of {@code struct sock_filter}, native byte order) with an
 * interpreter over {@link SeccompData}. {@link #parse} applies the kernel's load-time checks
 * (bpf_check_classic and seccomp_check_filter in kernel/seccomp.c): length, the instructions seccomp
 * allows, aligned 32-bit loads inside seccomp_data, scratch-memory bounds, jumps inside the program,
 * no division by a constant zero, and a return as the last instruction. It does not repeat the
 * kernel's check that scratch memory is written before it is read; reads of unwritten words give 0.
 */
public final class BpfProgram {
    /** BPF_MAXINSNS (include/uapi/linux/bpf_common.h). */
    public static final int MAX_INSTRUCTIONS = 4096;
    /** sizeof(struct sock_filter). */
    public static final int INSTRUCTION_SIZE = 8;
    /** BPF_MEMWORDS: scratch memory words. */
    private static final int MEMWORDS = 16;

    // Opcode parts, include/uapi/linux/filter.h and bpf_common.h.
    private static final int LD = 0x00, LDX = 0x01, ST = 0x02, STX = 0x03, ALU = 0x04, JMP = 0x05, RET = 0x06, MISC = 0x07;
    private static final int W = 0x00;
    private static final int IMM = 0x00, ABS = 0x20, MEM = 0x60, LEN = 0x80;
    private static final int ADD = 0x00, SUB = 0x10, MUL = 0x20, DIV = 0x30, OR = 0x40, AND = 0x50, LSH = 0x60,
            RSH = 0x70, NEG = 0x80, XOR = 0xa0;
    private static final int JA = 0x00, JEQ = 0x10, JGT = 0x20, JGE = 0x30, JSET = 0x40;
    private static final int K = 0x00, X = 0x08;
    private static final int RET_A = 0x10;
    private static final int TAX = 0x00, TXA = 0x80;

    private final int[] code;
    private final int[] jt;
    private final int[] jf;
    private final int[] k;

    private BpfProgram(int[] code, int[] jt, int[] jf, int[] k) {
        this.code = code;
        this.jt = jt;
        this.jf = jf;
        this.k = k;
    }

    /** Parses and checks a program as seccomp(SECCOMP_SET_MODE_FILTER) would before loading it. */
    public static BpfProgram parse(byte[] bytes) {
        if (bytes.length % INSTRUCTION_SIZE != 0) {
            throw new SeccompException("BPF program is " + bytes.length + " bytes, not a multiple of "
                    + INSTRUCTION_SIZE + " (sizeof(struct sock_filter))");
        }
        int length = bytes.length / INSTRUCTION_SIZE;
        if (length == 0 || length > MAX_INSTRUCTIONS) {
            throw new SeccompException("BPF program has " + length + " instructions; the kernel accepts 1 to "
                    + MAX_INSTRUCTIONS + " (BPF_MAXINSNS)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        int[] code = new int[length];
        int[] jt = new int[length];
        int[] jf = new int[length];
        int[] k = new int[length];
        for (int pc = 0; pc < length; pc++) {
            code[pc] = Short.toUnsignedInt(buffer.getShort());
            jt[pc] = Byte.toUnsignedInt(buffer.get());
            jf[pc] = Byte.toUnsignedInt(buffer.get());
            k[pc] = buffer.getInt();
        }
        BpfProgram program = new BpfProgram(code, jt, jf, k);
        for (int pc = 0; pc < length; pc++) {
            program.check(pc);
        }
        int last = code[length - 1];
        if (last != (RET | K) && last != (RET | RET_A)) {
            throw new SeccompException("BPF program does not end with a return instruction (last opcode 0x"
                    + Integer.toHexString(last) + ")");
        }
        return program;
    }

    public int length() {
        return code.length;
    }

    private void check(int pc) {
        int op = code[pc];
        int kv = k[pc];
        switch (op) {
            case LD | W | ABS -> {
                if (Integer.compareUnsigned(kv, SeccompData.SIZE) >= 0 || (kv & 3) != 0) {
                    fail(pc, "loads seccomp_data offset " + Integer.toUnsignedString(kv)
                            + "; only aligned 32-bit words inside the 64-byte seccomp_data can be loaded");
                }
            }
            case LD | W | LEN, LDX | W | LEN, RET | K, RET | RET_A, ALU | NEG, LD | IMM, LDX | IMM, MISC | TAX, MISC | TXA,
                    ALU | ADD | K, ALU | ADD | X, ALU | SUB | K, ALU | SUB | X, ALU | MUL | K, ALU | MUL | X,
                    ALU | DIV | X, ALU | AND | K, ALU | AND | X, ALU | OR | K, ALU | OR | X, ALU | XOR | K, ALU | XOR | X,
                    ALU | LSH | X, ALU | RSH | X -> {
                // Always valid.
            }
            case ALU | DIV | K -> {
                if (kv == 0) {
                    fail(pc, "divides by the constant 0");
                }
            }
            case ALU | LSH | K, ALU | RSH | K -> {
                if (Integer.compareUnsigned(kv, 32) >= 0) {
                    fail(pc, "shifts by " + Integer.toUnsignedString(kv) + ", 32 or more");
                }
            }
            case LD | MEM, LDX | MEM, ST, STX -> {
                if (Integer.compareUnsigned(kv, MEMWORDS) >= 0) {
                    fail(pc, "uses scratch word " + Integer.toUnsignedString(kv) + " of " + MEMWORDS);
                }
            }
            case JMP | JA -> {
                if (Integer.compareUnsigned(kv, code.length - pc - 1) >= 0) {
                    fail(pc, "jumps " + Integer.toUnsignedString(kv) + " past the end of the program");
                }
            }
            case JMP | JEQ | K, JMP | JEQ | X, JMP | JGE | K, JMP | JGE | X, JMP | JGT | K, JMP | JGT | X,
                    JMP | JSET | K, JMP | JSET | X -> {
                if (pc + jt[pc] + 1 >= code.length || pc + jf[pc] + 1 >= code.length) {
                    fail(pc, "branches past the end of the program");
                }
            }
            default -> fail(pc, "has opcode 0x" + Integer.toHexString(op) + ", which seccomp does not allow");
        }
    }

    private static void fail(int pc, String what) {
        throw new SeccompException("BPF instruction " + pc + " " + what);
    }

    /** Runs the program on one syscall and returns its 32-bit SECCOMP_RET_* value. */
    public int evaluate(SeccompData data) {
        return evaluate(data, ByteOrder.nativeOrder());
    }

    /**
     * Runs the program on one syscall whose seccomp_data the kernel of another byte order would lay out:
     * how a filter for a foreign architecture reads a 64-bit argument's two 32-bit halves.
     */
    public int evaluate(SeccompData data, ByteOrder dataOrder) {
        ByteBuffer input = ByteBuffer.allocate(SeccompData.SIZE).order(dataOrder);
        input.putInt(data.nr()).putInt(data.arch()).putLong(data.instructionPointer());
        data.args().forEach(input::putLong);
        int a = 0;
        int x = 0;
        int[] mem = new int[MEMWORDS];
        int pc = 0;
        while (true) {
            int op = code[pc];
            int kv = k[pc];
            int next = pc + 1;
            switch (op) {
                case LD | W | ABS -> a = input.getInt(kv);
                case LD | W | LEN -> a = SeccompData.SIZE;
                case LDX | W | LEN -> x = SeccompData.SIZE;
                case LD | IMM -> a = kv;
                case LDX | IMM -> x = kv;
                case LD | MEM -> a = mem[kv];
                case LDX | MEM -> x = mem[kv];
                case ST -> mem[kv] = a;
                case STX -> mem[kv] = x;
                case MISC | TAX -> x = a;
                case MISC | TXA -> a = x;
                case ALU | NEG -> a = -a;
                case RET | K -> {
                    return kv;
                }
                case RET | RET_A -> {
                    return a;
                }
                case JMP | JA -> next = pc + 1 + kv;
                default -> {
                    if ((op & 0x07) == ALU) {
                        int operand = (op & X) != 0 ? x : kv;
                        if ((op & 0xf0) == DIV && operand == 0) {
                            // Classic BPF ends the program with 0 on a division by zero at run time,
                            // which seccomp reads as SECCOMP_RET_KILL_THREAD.
                            return 0;
                        }
                        a = alu(op & 0xf0, a, operand);
                    } else {
                        int operand = (op & X) != 0 ? x : kv;
                        next = pc + 1 + (jump(op & 0xf0, a, operand) ? jt[pc] : jf[pc]);
                    }
                }
            }
            pc = next;
        }
    }

    private static int alu(int operation, int a, int operand) {
        return switch (operation) {
            case ADD -> a + operand;
            case SUB -> a - operand;
            case MUL -> a * operand;
            case DIV -> Integer.divideUnsigned(a, operand);
            case OR -> a | operand;
            case AND -> a & operand;
            case LSH -> a << operand;
            case RSH -> a >>> operand;
            case XOR -> a ^ operand;
            default -> throw new IllegalStateException("unchecked ALU operation 0x" + Integer.toHexString(operation));
        };
    }

    private static boolean jump(int operation, int a, int operand) {
        return switch (operation) {
            case JEQ -> a == operand;
            case JGT -> Integer.compareUnsigned(a, operand) > 0;
            case JGE -> Integer.compareUnsigned(a, operand) >= 0;
            case JSET -> (a & operand) != 0;
            default -> throw new IllegalStateException("unchecked jump 0x" + Integer.toHexString(operation));
        };
    }
}
