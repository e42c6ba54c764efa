package org.sandboxrunner.seccomp;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** JNA's layout of struct scmp_arg_cmp equals gcc's for the header's shape (src/test/c/scmp_arg_cmp_layout.c). */
class ScmpArgCmpLayoutTest {

    @Test
    void jnaLayoutMatchesGcc() {
        TestPrograms.Result result = TestPrograms.run(List.of(TestPrograms.program("scmp_arg_cmp_layout").toString()),
                Duration.ofSeconds(10));
        assertEquals(0, result.exitCode(), result.stderr());
        Map<String, Integer> c = new HashMap<>();
        result.stdout().lines().map(line -> line.split(" ")).forEach(kv -> c.put(kv[0], Integer.parseInt(kv[1])));

        ScmpArgCmp jna = new ScmpArgCmp();
        assertEquals(c.get("size"), jna.size());
        assertEquals(c.get("arg"), jna.offsetOf("arg"));
        assertEquals(c.get("op"), jna.offsetOf("op"));
        assertEquals(c.get("datumA"), jna.offsetOf("datumA"));
        assertEquals(c.get("datumB"), jna.offsetOf("datumB"));
        assertEquals(4, c.get("opSize"), "the enum is an int, which ScmpArgCmp.op models");
        assertEquals(24, c.get("size"), "LP64: two 32-bit fields then two 64-bit data");

        // Arrays passed to seccomp_rule_add_array must be contiguous with C's stride.
        ScmpArgCmp[] array = ScmpArgCmp.array(2);
        long stride = com.sun.jna.Pointer.nativeValue(array[1].getPointer()) - com.sun.jna.Pointer.nativeValue(array[0].getPointer());
        assertEquals((long) c.get("stride"), stride);
    }
}
