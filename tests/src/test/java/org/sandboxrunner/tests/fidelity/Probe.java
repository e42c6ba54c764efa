package org.sandboxrunner.tests.fidelity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.sandboxrunner.capabilities.CapabilitySets;
import org.sandboxrunner.capabilities.ProcStatus;
import org.sandboxrunner.capabilities.SecureBits;

/**
 * The probe program (probe.c beside this class), compiled once per test JVM with the host's gcc,
 * and what one generation of it printed.
 */
final class Probe {
    private static Path binary;

    private Probe() {}

    /** Copies the probe into {@code dir} as {@code name}, mode 0755, owned by the test (host root). */
    static Path copyInto(Path dir, String name) throws IOException {
        Path copy = dir.resolve(name);
        Files.copy(binary(), copy, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
        return copy;
    }

    private static synchronized Path binary() throws IOException {
        if (binary == null) {
            Path dir = Files.createTempDirectory("fidelity-probe");
            Path source = dir.resolve("probe.c"), out = dir.resolve("probe");
            for (Path p : List.of(dir, source, out)) {
                p.toFile().deleteOnExit(); // deleted in reverse order: the files, then the directory
            }
            try (InputStream in = Probe.class.getResourceAsStream("probe.c")) {
                if (in == null) {
                    throw new IllegalStateException("probe.c is missing from the test resources");
                }
                Files.copy(in, source);
            }
            Command.run(List.of("gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", out.toString(), source.toString()));
            binary = out;
        }
        return binary;
    }

    /** One generation's report. */
    record Report(ProcStatus status, List<Long> ids, SecureBits securebits, Map<String, Integer> attempts) {
        Report {
            ids = List.copyOf(ids);
            attempts = Map.copyOf(attempts);
        }

        CapabilitySets capabilities() {
            return status.capabilities();
        }

        /** The errno of an attempt such as {@code "capset 0"} or {@code "setresuid-0"}; 0 when it worked. */
        int attempt(String what) {
            Integer errno = attempts.get(what);
            if (errno == null) {
                throw new AssertionError("the probe made no attempt '" + what + "': " + attempts);
            }
            return errno;
        }
    }

    /** Every generation the probe printed, the first (before any re-exec) first. */
    static List<Report> parse(String output) {
        List<Report> reports = new ArrayList<>();
        for (Sections g : Sections.parse(output).generations()) {
            List<Long> ids = words(g.only("ids")).stream().map(Long::parseLong).toList();
            Map<String, Integer> attempts = g.only("attempts").lines().collect(Collectors.toMap(
                    l -> l.substring(0, l.lastIndexOf(' ')), l -> Integer.parseInt(l.substring(l.lastIndexOf(' ') + 1))));
            reports.add(new Report(ProcStatus.parse(g.only("status"), "the probe's /proc/self/status"), ids,
                    new SecureBits(Integer.parseInt(g.only("securebits").strip())), attempts));
        }
        if (reports.isEmpty()) {
            throw new AssertionError("the probe printed no report:\n" + output);
        }
        return reports;
    }

    private static List<String> words(String text) {
        return List.of(text.strip().split("\\s+"));
    }

    /** Host commands the tests run (gcc, setcap, getcap), failing with their output. */
    static final class Command {
        private Command() {}

        static String run(List<String> command) throws IOException {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                int status = p.waitFor();
                if (status != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " exited " + status + ": " + out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + command, e);
            }
            return out;
        }
    }
}
