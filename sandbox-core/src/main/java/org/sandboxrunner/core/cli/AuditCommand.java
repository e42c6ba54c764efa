package org.sandboxrunner.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sandboxrunner.audit.AuditKeys;
import org.sandboxrunner.audit.AuditLogReader;
import org.sandboxrunner.audit.AuditRecord;
import org.sandboxrunner.audit.AuditVerifier;
import org.sandboxrunner.audit.VerificationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sandbox audit}: key generation, offline verification and a readable view of an audit log.
 * Exit status: 0 success, 1 verification failed (or the log is unreadable), 125 usage or I/O error
 * with a one-line message naming what is wrong, like the runner's own sandbox failures.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Generate checkpoint keys, verify audit logs offline, and show the runs they record.",
        exitCodeOnInvalidInput = AuditCommand.EXIT_USAGE, exitCodeOnExecutionException = AuditCommand.EXIT_USAGE,
        subcommands = {AuditCommand.Keygen.class, AuditCommand.Verify.class, AuditCommand.Show.class})
public final class AuditCommand implements Callable<Integer> {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 125;

    /** A directory given as LOG holds the log under this name. */
    static final String DEFAULT_LOG_NAME = "audit.jsonl";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("sandbox audit: missing command: keygen, verify or show");
        return EXIT_USAGE;
    }

    /** Prints one line naming the command and what went wrong, and gives the usage/I-O exit status. */
    private static int fail(CommandSpec spec, String message) {
        spec.commandLine().getErr().println("sandbox audit " + spec.name() + ": " + message);
        return EXIT_USAGE;
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException missing) {
            return missing.getFile() + ": no such file" + (missing.getReason() == null ? "" : " (" + missing.getReason() + ")");
        }
        if (e instanceof FileAlreadyExistsException exists) {
            return exists.getFile() + ": already exists" + (exists.getReason() == null ? "" : "; " + exists.getReason());
        }
        return e.getMessage();
    }

    /** LOG names the log file, or a directory holding {@value #DEFAULT_LOG_NAME}. */
    private static Path logFile(Path given) {
        return Files.isDirectory(given) ? given.resolve(DEFAULT_LOG_NAME) : given;
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Generate an Ed25519 checkpoint key: NAME.skey (private, mode 0600) and NAME.vkey (for verifiers).",
            exitCodeOnInvalidInput = EXIT_USAGE, exitCodeOnExecutionException = EXIT_USAGE)
    static final class Keygen implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME",
                description = "Key name, ideally the log's origin, e.g. grader.example.org/audit.")
        String name;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Existing directory to write the key files to.")
        Path out;

        @Override
        public Integer call() {
            if (!Files.isDirectory(out)) {
                return fail(spec, out + ": not a directory");
            }
            try {
                AuditKeys.GeneratedKey key = AuditKeys.generate(name, out);
                PrintWriter stdout = spec.commandLine().getOut();
                stdout.println("private key:  " + key.signerKeyFile() + " (mode 0600; keep it secret)");
                stdout.println("verifier key: " + key.verifierKeyFile());
                stdout.println(key.verifierKey());
                return EXIT_OK;
            } catch (IllegalArgumentException e) {
                return fail(spec, "invalid key name: " + e.getMessage());
            } catch (IOException e) {
                return fail(spec, describe(e));
            }
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check the hash chain, every checkpoint's signature and Merkle root; name the first bad line.",
            exitCodeOnInvalidInput = EXIT_USAGE, exitCodeOnExecutionException = EXIT_USAGE)
    static final class Verify implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--key", paramLabel = "VKEY",
                description = "Trusted verifier key (name+keyid+base64) or a file holding one; repeatable."
                        + " Without keys only the chain is checked.")
        List<String> keys = new ArrayList<>();

        @Option(names = "--require-sealed", description = "Fail when lines after the last checkpoint are unsealed.")
        boolean requireSealed;

        @Parameters(index = "0", paramLabel = "LOG", description = "The log file, or a directory holding " + DEFAULT_LOG_NAME + ".")
        Path log;

        @Override
        public Integer call() {
            List<String> verifierKeys = new ArrayList<>();
            VerificationReport report;
            try {
                for (String key : keys) {
                    Path file = Path.of(key);
                    verifierKeys.add(Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : key);
                }
                report = AuditVerifier.verify(logFile(log), verifierKeys);
            } catch (IllegalArgumentException e) {
                return fail(spec, "invalid --key: " + e.getMessage());
            } catch (IOException e) {
                return fail(spec, describe(e));
            }
            PrintWriter out = spec.commandLine().getOut();
            String name = report.logFile().getFileName().toString();
            if (!report.ok()) {
                out.println("FAILED " + name + ": " + report.firstProblem().orElseThrow().describe());
                report.problems().stream().skip(1).forEach(p -> out.println("  also: " + p.describe()));
            } else {
                out.println("OK " + name + ": " + report.lines() + " lines, " + report.sealedLines() + " sealed by "
                        + report.trustedCheckpoints() + " trusted checkpoints");
                if (report.unsealedLines() > 0) {
                    out.println("unsealed: lines " + (report.sealedLines() + 1) + " to " + report.lines()
                            + " are after the last trusted checkpoint");
                }
            }
            report.notes().forEach(note -> out.println("note: " + note));
            if (!report.ok() || (requireSealed && report.unsealedLines() > 0)) {
                return EXIT_FAILED;
            }
            return EXIT_OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the runs a log records (run.outcome events) as a table.",
            exitCodeOnInvalidInput = EXIT_USAGE, exitCodeOnExecutionException = EXIT_USAGE)
    static final class Show implements Callable<Integer> {

        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
        private static final int COMMAND_WIDTH = 40;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "LOG", description = "The log file, or a directory holding " + DEFAULT_LOG_NAME + ".")
        Path log;

        @Override
        public Integer call() {
            AuditLogReader.Contents contents;
            try {
                contents = AuditLogReader.read(logFile(log));
            } catch (IOException e) {
                return fail(spec, describe(e));
            }
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("TIME", "RUN", "PROFILE", "COMMAND", "VERDICT", "CPU", "MEMORY"));
            for (AuditRecord record : contents.records()) {
                if (record.event().type().equals("run.outcome")) {
                    rows.add(row(record));
                }
            }
            printTable(spec.commandLine().getOut(), rows);
            if (contents.problem().isPresent()) {
                spec.commandLine().getErr().println("sandbox audit show: stopped at " + contents.problem().get()
                        + "; run sandbox audit verify");
                return EXIT_FAILED;
            }
            return EXIT_OK;
        }

        private static List<String> row(AuditRecord record) {
            JsonNode details = record.event().details();
            String command = String.join(" ", record.event().object().command());
            if (command.length() > COMMAND_WIDTH) {
                command = command.substring(0, COMMAND_WIDTH - 3) + "...";
            }
            return List.of(
                    TIME.format(record.time().truncatedTo(ChronoUnit.SECONDS)),
                    orDash(record.event().object().runId()),
                    orDash(record.event().object().profile()),
                    command.isEmpty() ? "-" : command,
                    details.path("status").isTextual() ? details.get("status").asText() : "-",
                    details.path("cpuTimeMs").canConvertToLong() ? cpu(details.get("cpuTimeMs").asLong()) : "-",
                    details.path("memoryPeakBytes").canConvertToLong() ? memory(details.get("memoryPeakBytes").asLong()) : "-");
        }

        private static String orDash(String value) {
            return value == null ? "-" : value;
        }

        static String cpu(long millis) {
            return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
        }

        static String memory(long bytes) {
            if (bytes < 1024) {
                return bytes + " B";
            }
            String[] units = {"KiB", "MiB", "GiB", "TiB"};
            double value = bytes / 1024.0;
            int unit = 0;
            while (value >= 1024 && unit < units.length - 1) {
                value /= 1024;
                unit++;
            }
            return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
        }

        private static void printTable(PrintWriter out, List<List<String>> rows) {
            int[] widths = new int[rows.get(0).size()];
            for (List<String> row : rows) {
                for (int i = 0; i < row.size(); i++) {
                    widths[i] = Math.max(widths[i], row.get(i).length());
                }
            }
            for (List<String> row : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < row.size(); i++) {
                    String cell = row.get(i);
                    boolean number = i >= row.size() - 2;
                    String padded = number ? " ".repeat(widths[i] - cell.length()) + cell : cell + " ".repeat(widths[i] - cell.length());
                    line.append(i == 0 ? "" : "  ").append(padded);
                }
                out.println(line.toString().stripTrailing());
            }
            out.flush();
        }
    }
}
