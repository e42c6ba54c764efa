package org.sandboxrunner.core.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.sandboxrunner.core.run.Profiles;
import org.sandboxrunner.seccomp.BpfProgram;
import org.sandboxrunner.seccomp.SeccompCompiler;
import org.sandboxrunner.seccomp.SeccompData;

/**
 * The helper's classic-BPF interpreter (src/main/c/bpf.c), which decides each notified syscall, gives
 * what the seccomp module's interpreter gives (the one the kernel conformance and differential tests
 * check against libseccomp): on the built-in default profile, on random valid programs, and
 * KILL_PROCESS for programs the kernel would refuse.
 */
class BpfInterpreterDifferentialTest {
    private static final int KILL_PROCESS = 0x8000_0000;
    private static final int[] ARCHES = {0xc000003e, 0x40000003, 0xc00000b7};
    private static Path driver;

    @BeforeContainer
    static void compile() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "bpf-driver"));
        driver = dir.resolve("bpf_driver").toAbsolutePath();
        Process gcc = new ProcessBuilder("gcc", "-std=gnu11", "-O2", "-Wall", "-Wextra", "-Werror", "-o", driver.toString(),
                "src/test/c/bpf_driver.c", "src/main/c/bpf.c").redirectErrorStream(true).start();
        String log = new String(gcc.getInputStream().readAllBytes());
        assertTrue(gcc.waitFor(60, TimeUnit.SECONDS) && gcc.exitValue() == 0, "gcc: " + log);
    }

    /** Runs the C interpreter on one program and the inputs; one result per input. */
    private static List<Integer> runC(byte[] program, List<SeccompData> inputs) throws IOException, InterruptedException {
        ByteBuffer in = ByteBuffer.allocate(8 + program.length + inputs.size() * SeccompData.SIZE).order(ByteOrder.nativeOrder());
        in.putInt(program.length / BpfProgram.INSTRUCTION_SIZE).put(program).putInt(inputs.size());
        for (SeccompData d : inputs) {
            in.putInt(d.nr()).putInt(d.arch()).putLong(d.instructionPointer());
            d.args().forEach(in::putLong);
        }
        Process p = new ProcessBuilder(driver.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream out = p.getOutputStream()) {
            out.write(in.array());
        }
        List<Integer> results = new String(p.getInputStream().readAllBytes()).lines()
                .map(l -> Integer.parseUnsignedInt(l, 16)).toList();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "driver exit");
        return results;
    }

    private static void agree(byte[] program, List<SeccompData> inputs) throws Exception {
        BpfProgram java = BpfProgram.parse(program);
        List<Integer> c = runC(program, inputs);
        assertEquals(inputs.size(), c.size());
        for (int i = 0; i < inputs.size(); i++) {
            assertEquals(Integer.toHexString(java.evaluate(inputs.get(i))), Integer.toHexString(c.get(i)), inputs.get(i).toString());
        }
    }

    private static SeccompData data(Random r) {
        int nr = r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(460) | (r.nextInt(8) == 0 ? 0x4000_0000 : 0);
        return new SeccompData(nr, ARCHES[r.nextInt(ARCHES.length)], r.nextLong(), List.of(small(r), small(r), small(r),
                small(r), small(r), small(r)));
    }

    private static long small(Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> r.nextInt(16);
            case 1 -> r.nextLong();
            default -> 1L << r.nextInt(64);
        };
    }

    @Example
    void theDefaultProfileDecidesAlike() throws Exception {
        byte[] program = SeccompCompiler.create().compile(Profiles.load("default").profile().linux().seccomp().orElseThrow())
                .bytes();
        Random r = new Random(4);
        List<SeccompData> inputs = new ArrayList<>();
        for (int nr = 0; nr < 460; nr++) {
            for (int arch : ARCHES) {
                inputs.add(SeccompData.of(arch, nr, r.nextInt(8), r.nextLong(), r.nextInt(1 << 20)));
            }
            inputs.add(SeccompData.of(ARCHES[0], nr | 0x4000_0000));
        }
        for (int i = 0; i < 2000; i++) {
            inputs.add(data(r));
        }
        agree(program, inputs);
    }

    @Property(tries = 150)
    void randomValidProgramsDecideAlike(@ForAll("programs") byte[] program, @ForAll("seeds") long seed) throws Exception {
        Random r = new Random(seed);
        List<SeccompData> inputs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            inputs.add(data(r));
        }
        agree(program, inputs);
    }

    @Example
    void programsTheKernelWouldRefuseKillTheProcess() throws Exception {
        SeccompData any = SeccompData.of(ARCHES[0], 39, 1, 2, 3);
        List<byte[]> refused = List.of(
                program(insn(0x05, 0, 0, 5), ret(0x7fff_0000)),          // JA past the end
                program(insn(0x15, 9, 9, 39), ret(0x7fff_0000)),         // JEQ both ways past the end
                program(insn(0x20, 0, 0, 64), ret(0x7fff_0000)),         // load past seccomp_data
                program(insn(0x20, 0, 0, 2), ret(0x7fff_0000)),          // unaligned load
                program(insn(0x60, 0, 0, 16), ret(0x7fff_0000)),         // scratch word 16
                program(insn(0xff, 0, 0, 0), ret(0x7fff_0000)),          // no such opcode
                program(insn(0x00, 0, 0, 1)));                           // falls off the end
        for (byte[] p : refused) {
            assertEquals(List.of(KILL_PROCESS), runC(p, List.of(any)));
        }
    }

    @Provide
    Arbitrary<byte[]> programs() {
        return Arbitraries.randomValue(BpfInterpreterDifferentialTest::randomProgram);
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    /** A program the kernel's loader accepts: each instruction valid where it stands, a return last. */
    private static byte[] randomProgram(Random r) {
        int len = 2 + r.nextInt(40);
        List<long[]> insns = new ArrayList<>();
        int[] alu = {0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0};
        int[] jumps = {0x10, 0x20, 0x30, 0x40};
        for (int pc = 0; pc < len - 1; pc++) {
            int left = len - pc - 1;
            long[] i = switch (r.nextInt(12)) {
                case 0, 1 -> new long[] {0x20, 0, 0, 4L * r.nextInt(16)};                       // LD ABS
                case 2 -> new long[] {r.nextBoolean() ? 0x00 : 0x01, 0, 0, r.nextInt()};        // LD/LDX IMM
                case 3 -> new long[] {new int[] {0x60, 0x61, 0x02, 0x03}[r.nextInt(4)], 0, 0, r.nextInt(16)}; // MEM
                case 4 -> new long[] {r.nextBoolean() ? 0x07 : 0x87, 0, 0, 0};                  // TAX/TXA
                case 5 -> new long[] {0x84, 0, 0, 0};                                           // NEG
                case 6, 7 -> {
                    int op = alu[r.nextInt(alu.length)];
                    boolean x = r.nextBoolean();
                    long k = op == 0x60 || op == 0x70 ? r.nextInt(32) : op == 0x30 ? 1 + r.nextInt(1000) : r.nextInt();
                    yield new long[] {0x04 | op | (x ? 0x08 : 0), 0, 0, k};
                }
                case 8 -> new long[] {r.nextBoolean() ? 0x80 : 0x81, 0, 0, 0};                  // LD/LDX LEN
                case 9 -> new long[] {0x05, 0, 0, r.nextInt(left)};                            // JA
                case 10 -> new long[] {0x06, 0, 0, r.nextInt()};                               // RET K
                default -> new long[] {0x05 | jumps[r.nextInt(jumps.length)] | (r.nextBoolean() ? 0x08 : 0),
                    r.nextInt(Math.min(left, 256)), r.nextInt(Math.min(left, 256)), r.nextInt(8) == 0 ? r.nextInt() : r.nextInt(460)};
            };
            insns.add(i);
        }
        insns.add(r.nextBoolean() ? new long[] {0x06, 0, 0, r.nextInt()} : new long[] {0x16, 0, 0, 0});
        return program(insns.toArray(long[][]::new));
    }

    private static long[] insn(int code, int jt, int jf, int k) {
        return new long[] {code, jt, jf, k};
    }

    private static long[] ret(int k) {
        return insn(0x06, 0, 0, k);
    }

    private static byte[] program(long[]... insns) {
        ByteBuffer b = ByteBuffer.allocate(insns.length * BpfProgram.INSTRUCTION_SIZE).order(ByteOrder.nativeOrder());
        for (long[] i : insns) {
            b.putShort((short) i[0]).put((byte) i[1]).put((byte) i[2]).putInt((int) i[3]);
        }
        return b.array();
    }
}
