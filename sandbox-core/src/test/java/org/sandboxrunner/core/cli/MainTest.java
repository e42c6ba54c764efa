package org.sandboxrunner.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code sandbox run ...} gets a tree with the run command alone, which behaves as the whole tree's. */
class MainTest {
    /** Exit status, stdout and stderr of one command line through the given tree. */
    private record Outcome(int code, String out, String err) {}

    private static Outcome execute(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Outcome(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void aRunGetsTheRunCommandAloneAndAnythingElseTheWholeTree() {
        assertEquals(Set.of("run"), Main.commandLine("run", "--", "/bin/true").getSubcommands().keySet());
        assertEquals(Set.of("run", "profile", "audit", "image", "batch"), Main.commandLine("profile", "list").getSubcommands().keySet());
        assertEquals(5, Main.commandLine().getSubcommands().size());
        assertEquals(5, Main.commandLine(new String[0]).getSubcommands().size());
        assertEquals(5, Main.commandLine("--help").getSubcommands().size());
    }

    @Test
    void helpAndUsageErrorsOfARunAreTheWholeTreesWordForWord() {
        for (List<String> args : List.of(List.of("run", "--help"), List.of("run", "--no-such-flag", "--", "true"),
                List.of("run", "--memory-limit"), List.of("run"))) {
            String[] a = args.toArray(String[]::new);
            Outcome whole = execute(Main.commandLine(), a);
            Outcome alone = execute(Main.commandLine(a), a);
            assertEquals(whole, alone, args.toString());
            assertTrue(whole.out().contains("sandbox run") || whole.err().contains("sandbox run"), whole.toString());
        }
    }
}
