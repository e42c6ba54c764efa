package org.sandboxrunner.capabilities;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the other tools the tests compare with (capsh, getpcaps, prlimit) and returns what they print. */
final class Commands {
    private Commands() {
    }

    /** The command's stdout; fails the test, showing stderr, unless it exits with {@code expectedExit}. */
    static String run(int expectedExit, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in 30 s");
        }
        assertEquals(expectedExit, process.exitValue(), () -> command + " exited " + process.exitValue() + "; stderr: " + err + "; stdout: " + out);
        return out;
    }

    static String run(String... command) throws IOException, InterruptedException {
        return run(0, List.of(command));
    }

    /** The line of {@code output} that starts with {@code prefix}, without the prefix. */
    static String line(String output, String prefix) {
        return output.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
                .findFirst().orElseThrow(() -> new AssertionError("no line starting \"" + prefix + "\" in:\n" + output));
    }
}
