package org.sandboxrunner.capabilities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CapabilityTextTest {
    private static final KernelCapabilities KERNEL_40 = KernelCapabilities.parse("40\n");

    private static CapsetSets parse(String text) {
        return CapabilityText.parse(text, KERNEL_40);
    }

    private static CapabilitySet set(Capability... capabilities) {
        return CapabilitySet.of(capabilities);
    }

    @Test
    void parsesAListWithFlags() {
        CapsetSets sets = parse("cap_net_bind_service,cap_kill+ep");
        CapabilitySet both = set(Capability.CAP_NET_BIND_SERVICE, Capability.CAP_KILL);
        assertEquals(new CapsetSets(both, both, CapabilitySet.EMPTY), sets);
        assertEquals("cap_kill,cap_net_bind_service=ep", CapabilityText.render(sets, KERNEL_40));
    }

    @Test
    void anEqualsSignAloneMeansAll() {
        CapabilitySet all = KERNEL_40.all();
        assertEquals(new CapsetSets(all, all, CapabilitySet.EMPTY), parse("=ep"));
        assertEquals("=ep", CapabilityText.render(parse("=ep"), KERNEL_40));
        assertEquals(new CapsetSets(all, all, all), parse("all+eip"));
        assertEquals("=eip", CapabilityText.render(parse("all+eip"), KERNEL_40));
    }

    @Test
    void clausesApplyInOrder() {
        assertEquals(new CapsetSets(set(Capability.CAP_CHOWN), set(Capability.CAP_KILL), CapabilitySet.EMPTY),
                parse("cap_chown=p cap_kill+e"));
        CapabilitySet allButResource = KERNEL_40.all().minus(set(Capability.CAP_SYS_RESOURCE));
        assertEquals(new CapsetSets(allButResource, allButResource, CapabilitySet.EMPTY), parse("=ep cap_sys_resource-ep"));
        assertEquals(new CapsetSets(set(Capability.CAP_KILL), set(Capability.CAP_KILL), CapabilitySet.EMPTY),
                parse("cap_kill=eip-i"));
        assertEquals(new CapsetSets(CapabilitySet.EMPTY, CapabilitySet.EMPTY, CapabilitySet.EMPTY), parse("cap_kill+p cap_kill="));
        CapabilitySet allButKill = KERNEL_40.all().minus(set(Capability.CAP_KILL));
        assertEquals(new CapsetSets(allButKill, set(Capability.CAP_KILL), allButKill), parse("all+ip cap_kill=+e"));
        assertEquals(new CapsetSets(CapabilitySet.EMPTY, CapabilitySet.EMPTY, CapabilitySet.EMPTY), parse("all=p all=-p"));
    }

    @Test
    void emptyTextAndALoneEqualsSignAreTheEmptyState() {
        assertEquals(CapsetSets.NONE, parse(""));
        assertEquals(CapsetSets.NONE, parse("  \t"));
        assertEquals(CapsetSets.NONE, parse("="));
        assertEquals("=", CapabilityText.render(CapsetSets.NONE, KERNEL_40));
    }

    @Test
    void namesTakeAnyCaseAndNumbersStandForCapabilities() {
        CapabilitySet kill = set(Capability.CAP_KILL);
        assertEquals(new CapsetSets(kill, CapabilitySet.EMPTY, CapabilitySet.EMPTY), parse("CAP_KILL+p"));
        assertEquals(new CapsetSets(kill, CapabilitySet.EMPTY, CapabilitySet.EMPTY), parse("5+p"));
        assertEquals(new CapsetSets(KERNEL_40.all(), CapabilitySet.EMPTY, CapabilitySet.EMPTY), parse("ALL=p"));
    }

    @Test
    void renderWritesUnnamedCapabilitiesOfANewerKernelAsNumbers() {
        KernelCapabilities kernel42 = KernelCapabilities.parse("42\n");
        CapabilitySet some = CapabilitySet.ofNumbers(5, 41, 42);
        CapsetSets sets = new CapsetSets(some, CapabilitySet.EMPTY, CapabilitySet.EMPTY);
        assertEquals("cap_kill,41,42=p", CapabilityText.render(sets, kernel42));
        assertEquals(sets, CapabilityText.parse("cap_kill,41,42=p", kernel42));
    }

    @Test
    void renderRefusesCapabilitiesTheKernelDoesNotHave() {
        CapsetSets sets = new CapsetSets(set(Capability.CAP_BPF), CapabilitySet.EMPTY, CapabilitySet.EMPTY);
        assertEquals("permitted: CAP_BPF (39) is not supported by this kernel, whose last capability is 38",
                assertThrows(CapabilityException.class, () -> CapabilityText.render(sets, KernelCapabilities.parse("38"))).getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "cap_kil+e          | 1  | unknown capability \"cap_kil\" (did you mean CAP_KILL?)",
        "cap_kill+x         | 10 | unexpected 'x': flags are e, i and p",
        "cap_kill+EP        | 10 | unexpected 'E': flags are e, i and p",
        "cap_kill,          | 10 | expected a capability name after ','",
        "cap_kill,,cap_chown+e | 10 | expected a capability name after ','",
        "+e                 | 1  | '+' needs a list of capabilities before it; only '=' may stand alone (meaning all=)",
        "cap_kill           | 9  | expected '=', '+' or '-' after the capabilities",
        "cap_kill.e         | 9  | unexpected '.': expected ',', '=', '+' or '-'",
        "cap_kill+e=p       | 11 | '=' can only be a clause's first action",
        "cap_kill+          | 10 | '+' needs at least one of the flags e, i, p",
        "cap_kill-          | 10 | '-' needs at least one of the flags e, i, p",
        "cap_kill+e+ cap_chown=p | 12 | '+' needs at least one of the flags e, i, p",
        "=e+p               | 3  | '+' needs a list of capabilities before the clause's '='",
        "=+e                | 2  | '+' needs a list of capabilities before the clause's '='",
        "cap_chown=p 41+p   | 13 | capability 41 is not supported by this kernel, whose last capability is 40",
        "010+p              | 1  | capability number 010 has a leading zero; write it in decimal",
        "640+p              | 1  | capability number 640 is outside 0..63",
        "cap_kill2+p        | 1  | unknown capability \"cap_kill2\" (did you mean CAP_KILL?)",
    })
    void errorsNameThePosition(String text, int position, String what) {
        String message = assertThrows(CapabilityException.class, () -> parse(text)).getMessage();
        assertEquals("capability text \"" + text + "\" at position " + position + ": " + what, message);
    }

    /** libcap refuses the same malformed texts (all of the above but our decimal-only numbers and kernel limits). */
    @ParameterizedTest
    @ValueSource(strings = {"cap_kil+e", "cap_kill+x", "cap_kill+EP", "cap_kill,", "cap_kill,,cap_chown+e", "+e", "cap_kill",
        "cap_kill.e", "cap_kill+e=p", "cap_kill+", "cap_kill-", "cap_kill+e+ cap_chown=p", "=e+p", "=+e", "cap_kill2+p"})
    void libcapRefusesTheSameText(String text) throws Exception {
        assertThrows(CapabilityException.class, () -> parse(text));
        Commands.run(1, List.of("capsh", "--caps=" + text));
    }

    @Test
    void aCapabilityTheKernelLacksIsAnErrorAtItsName() {
        String message = assertThrows(CapabilityException.class,
                () -> CapabilityText.parse("cap_kill,cap_bpf+p", KernelCapabilities.parse("38"))).getMessage();
        assertEquals("capability text \"cap_kill,cap_bpf+p\" at position 10:"
                + " CAP_BPF (39) is not supported by this kernel, whose last capability is 38", message);
    }

    @Property
    void parseOfRenderGivesBackTheSets(@ForAll("kernels") KernelCapabilities kernel, @ForAll Random random) {
        CapsetSets sets = randomSets(random, kernel.all().bits());
        String text = CapabilityText.render(sets, kernel);
        assertEquals(sets, CapabilityText.parse(text, kernel), text);
    }

    @Property
    void renderOfParseIsCanonical(@ForAll Random random) {
        String text = randomText(random, KERNEL_40.all());
        String canonical = CapabilityText.render(parse(text), KERNEL_40);
        assertEquals(canonical, CapabilityText.render(parse(canonical), KERNEL_40), text);
    }

    /**
     * libcap is the reference: capsh parses our canonical text with cap_from_text, applies it with
     * cap_set_proc, reads it back with cap_get_proc and prints cap_to_text. The kernel accepts only
     * effective within permitted, and permitted within what this JVM holds, so the sets stay there.
     */
    @Property(tries = 60)
    void libcapRendersExactlyAsWeDoAfterApplyingOurText(@ForAll Random random) throws Exception {
        KernelCapabilities kernel = KernelCapabilities.read();
        long held = ProcStatus.readSelf().capabilities().permitted().bits();
        CapsetSets wide = randomSets(random, held);
        CapsetSets sets = new CapsetSets(wide.permitted(), wide.effective().intersect(wide.permitted()), wide.inheritable());
        String ours = CapabilityText.render(sets, kernel);
        String libcap = Commands.line(Commands.run("capsh", "--caps=" + ours, "--print"), "Current: ");
        assertEquals(ours, libcap);
    }

    /** The same for random text: what libcap makes of it is what we make of it. */
    @Property(tries = 60)
    void libcapParsesRandomTextAsWeDo(@ForAll Random random) throws Exception {
        KernelCapabilities kernel = KernelCapabilities.read();
        CapabilitySet held = ProcStatus.readSelf().capabilities().permitted();
        String text = randomText(random, held);
        CapsetSets sets = CapabilityText.parse(text, kernel);
        CapabilitySet effectiveOutsidePermitted = sets.effective().minus(sets.permitted());
        if (!effectiveOutsidePermitted.isEmpty()) {
            // capset refuses effective outside permitted: one more clause makes the state settable.
            text += " " + String.join(",", lower(effectiveOutsidePermitted.names())) + "+p";
            sets = CapabilityText.parse(text, kernel);
        }
        String libcap = Commands.line(Commands.run("capsh", "--caps=" + text, "--print"), "Current: ");
        assertEquals(CapabilityText.render(sets, kernel), libcap, text);
    }

    @Provide
    Arbitrary<KernelCapabilities> kernels() {
        return Arbitraries.of(KernelCapabilities.parse("37"), KERNEL_40, KernelCapabilities.parse("45"),
                KernelCapabilities.parse("63"));
    }

    private static CapsetSets randomSets(Random random, long within) {
        return new CapsetSets(new CapabilitySet(randomBits(random, within)), new CapabilitySet(randomBits(random, within)),
                new CapabilitySet(randomBits(random, within)));
    }

    /** Mostly sparse or mostly full sets, so that every base combination in render turns up. */
    private static long randomBits(Random random, long within) {
        long bits = switch (random.nextInt(4)) {
            case 0 -> 0L;
            case 1 -> random.nextLong() & random.nextLong() & random.nextLong();
            case 2 -> random.nextLong() | random.nextLong() | random.nextLong();
            default -> random.nextLong();
        };
        return bits & within;
    }

    /**
     * A random text in the grammar libcap accepts, naming only capabilities in {@code raisable}
     * when it raises; "all" and a list-less "=" appear only where they lower.
     */
    private static String randomText(Random random, CapabilitySet raisable) {
        List<String> clauses = new ArrayList<>();
        int count = random.nextInt(4);
        for (int c = 0; c < count; c++) {
            int kind = random.nextInt(6);
            if (kind == 0) {
                clauses.add("=");
                continue;
            }
            if (kind == 1) {
                clauses.add((random.nextBoolean() ? "all" : "ALL") + "-" + flags(random, 1));
                continue;
            }
            List<String> names = new ArrayList<>();
            List<Integer> numbers = raisable.numbers();
            int listed = numbers.isEmpty() ? 0 : 1 + random.nextInt(3);
            for (int i = 0; i < listed; i++) {
                int number = numbers.get(random.nextInt(numbers.size()));
                String name = Capability.describe(number);
                names.add(switch (random.nextInt(3)) {
                    case 0 -> name.toLowerCase(Locale.ROOT);
                    case 1 -> name;
                    default -> Integer.toString(number);
                });
            }
            if (names.isEmpty()) {
                clauses.add("=");
                continue;
            }
            StringBuilder clause = new StringBuilder(String.join(",", names));
            char first = "=+-".charAt(random.nextInt(3));
            clause.append(first).append(flags(random, first == '=' ? 0 : 1));
            for (int a = random.nextInt(3); a > 0; a--) {
                clause.append(random.nextBoolean() ? '+' : '-').append(flags(random, 1));
            }
            clauses.add(clause.toString());
        }
        return String.join(random.nextBoolean() ? " " : " \t ", clauses);
    }

    private static String flags(Random random, int atLeast) {
        StringBuilder flags = new StringBuilder();
        for (char flag : new char[] {'e', 'i', 'p'}) {
            if (random.nextBoolean()) {
                flags.append(flag);
            }
        }
        return flags.length() >= atLeast ? flags.toString() : "p";
    }

    private static List<String> lower(List<String> names) {
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    }
}
