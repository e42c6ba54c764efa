package org.sandboxrunner.audit;

import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.sandboxrunner.audit.VerificationReport.Kind;
import org.sandboxrunner.audit.VerificationReport.Problem;
import org.sandboxrunner.audit.note.Ed25519NoteSigner;
import org.sandboxrunner.audit.note.SignedNote;

/**
 * For random logs, every single-point tampering makes verification fail and names the line that
 * was tampered with; untouched logs always verify. A log's last line can be changed without a
 * trace only while no checkpoint seals it, which is what "unsealed" reports.
 */
class TamperingPropertyTest {

    enum Tampering { FLIP_BYTE, DROP_LINE, SWAP_LINES, DUPLICATE_LINE, TRUNCATE, RESIGN_CHECKPOINT }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A random log: {@code events} events, checkpoints where the random says, sealed at close; maybe an unsealed tail. */
    private record Log(Path file, Ed25519NoteSigner key, int sealed, List<byte[]> lines) {
    }

    @Property(tries = 150)
    void everySinglePointTamperingFailsAndNamesItsLine(@ForAll @IntRange(min = 2, max = 18) int events,
            @ForAll @IntRange(min = 0, max = 4) int unsealedTail, @ForAll Tampering tampering, @ForAll long seed)
            throws Exception {
        Path dir = Files.createTempDirectory("tamper");
        try {
            Random random = new Random(seed);
            Log log = write(dir, events, unsealedTail, random);
            VerificationReport clean = AuditVerifier.verify(log.file(), List.of(log.key().verifier()));
            check(clean.ok() && clean.sealedLines() == log.sealed() && clean.lines() == log.lines().size(),
                    "untouched log verifies: " + clean);
            Expected expected = tamper(log, tampering, random);
            VerificationReport report = AuditVerifier.verify(log.file(), List.of(log.key().verifier()));
            expected.check(report);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Example
    void anUnsealedLastLineCanBeEditedWithoutTraceButIsReportedUnsealed() throws Exception {
        Path dir = Files.createTempDirectory("tamper");
        Log log = write(dir, 3, 1, new Random(1));
        List<byte[]> lines = new ArrayList<>(log.lines());
        String last = new String(lines.get(3), StandardCharsets.UTF_8).replace("\"n\":", "\"N\":");
        lines.set(3, last.getBytes(StandardCharsets.UTF_8));
        Files.write(log.file(), join(lines));
        VerificationReport report = AuditVerifier.verify(log.file(), List.of(log.key().verifier()));
        check(report.ok() && report.sealedLines() == 3 && report.unsealedLines() == 1, report.toString());
    }

    private static Log write(Path dir, int events, int unsealedTail, Random random) throws IOException {
        Ed25519NoteSigner key = AuditLogTest.generate(TestEvents.ORIGIN);
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open(file, options().signer(key).build())) {
            for (int i = 0; i < events; i++) {
                log.append(randomEvent(random, i));
                if (random.nextInt(4) == 0) {
                    log.checkpoint();
                }
            }
        }
        try (AuditLog log = AuditLog.open(file, options().build())) {
            for (int i = 0; i < unsealedTail; i++) {
                log.append(randomEvent(random, events + i));
            }
        }
        return new Log(file, key, events, splitLines(Files.readAllBytes(file)));
    }

    private static AuditOptions.Builder options() {
        return AuditOptions.builder(TestEvents.ORIGIN, "0.1.0").fsync(FsyncPolicy.AT_CHECKPOINT)
                .checkpointEvery(1000, Duration.ofHours(1));
    }

    private static AuditEvent randomEvent(Random random, int n) {
        String text = random.ints(random.nextInt(20), 0x20, 0x3000).collect(StringBuilder::new,
                StringBuilder::appendCodePoint, StringBuilder::append).toString();
        var details = AuditEvent.newDetails().put("n", n).put("text", text).put("cpuTimeMs", random.nextInt(100_000));
        return random.nextBoolean() ? TestEvents.step("run-" + random.nextInt(5), "step-" + n)
                : AuditEvent.failure("policy.denial", "syscall", "denied " + text, AuditObject.forRun("run-" + n), details);
    }

    /** What verification must report after a tampering. */
    private record Expected(String what, Path file, long line, long alternativeLine, boolean mayPass, Kind kind) {

        Expected(String what, Path file, long line, long alternativeLine, boolean mayPass) {
            this(what, file, line, alternativeLine, mayPass, null);
        }

        void check(VerificationReport report) {
            if (report.ok()) {
                TamperingPropertyTest.check(mayPass, what + ": tampering went unnoticed: " + report);
                return;
            }
            Problem first = report.problems().stream().filter(p -> p.file().equals(file)).findFirst()
                    .orElseThrow(() -> new AssertionError(what + ": no problem in " + file + ": " + report.problems()));
            TamperingPropertyTest.check(first.line() == line || first.line() == alternativeLine,
                    what + ": expected line " + line + (alternativeLine != line ? " or " + alternativeLine : "") + " but got "
                            + first.describe());
            TamperingPropertyTest.check(kind == null || first.kind() == kind, what + ": expected " + kind + " but got "
                    + first.describe());
        }
    }

    private static Expected tamper(Log log, Tampering tampering, Random random) throws Exception {
        List<byte[]> lines = new ArrayList<>(log.lines());
        int n = lines.size();
        boolean lastUnsealed = log.sealed() < n;
        byte[] file = join(lines);
        switch (tampering) {
            case FLIP_BYTE -> {
                int at = random.nextInt(file.length);
                file[at] ^= (byte) (1 + random.nextInt(255));
                Files.write(log.file(), file);
                int line = lineOf(log.lines(), at);
                // The last line's prev can be changed into another hash without a successor to notice:
                // the verifier then names the line before it, or the last line itself.
                boolean lastLine = line == n - 1;
                return new Expected("flip byte " + at + " in line " + (line + 1), log.file(), line + 1L,
                        lastLine ? line : line + 1L, lastLine && lastUnsealed);
            }
            case DROP_LINE -> {
                int i = random.nextInt(n);
                lines.remove(i);
                Files.write(log.file(), join(lines));
                return new Expected("drop line " + (i + 1), log.file(), i + 1L, i + 1L, i == n - 1 && lastUnsealed);
            }
            case SWAP_LINES -> {
                int i = random.nextInt(n - 1);
                int j = i + 1 + random.nextInt(n - 1 - i);
                byte[] a = lines.get(i);
                lines.set(i, lines.get(j));
                lines.set(j, a);
                Files.write(log.file(), join(lines));
                return new Expected("swap lines " + (i + 1) + " and " + (j + 1), log.file(), i + 1L, i + 1L, false);
            }
            case DUPLICATE_LINE -> {
                int j = random.nextInt(n);
                int k = random.nextInt(n + 1);
                lines.add(k, lines.get(j).clone());
                Files.write(log.file(), join(lines));
                // Two equal neighbours: the second one is the extra line.
                long line = (k == j || k == j + 1) ? j + 2L : k + 1L;
                return new Expected("copy line " + (j + 1) + " before line " + (k + 1), log.file(), line, line, false);
            }
            case TRUNCATE -> {
                int keep = random.nextInt(file.length);
                Files.write(log.file(), Arrays.copyOf(file, keep));
                int whole = lineOf(log.lines(), keep);
                boolean boundary = keep == offsetOf(log.lines(), whole);
                return new Expected("truncate to " + keep + " bytes", log.file(), whole + 1L, whole + 1L,
                        boundary && whole >= log.sealed());
            }
            case RESIGN_CHECKPOINT -> {
                LogFiles files = new LogFiles(log.file());
                List<String> history = Files.readAllLines(files.checkpointHistory());
                int k = random.nextInt(history.size());
                Ed25519NoteSigner impostor = AuditLogTest.generate(TestEvents.ORIGIN);
                String note = JSON.readTree(history.get(k)).get("note").asText();
                byte[] resigned = SignedNote.sign(SignedNote.parse(note.getBytes(StandardCharsets.UTF_8)).text(), impostor).encode();
                history.set(k, JSON.writeValueAsString(Map.of("note", new String(resigned, StandardCharsets.UTF_8))));
                Files.write(files.checkpointHistory(), history);
                if (k == history.size() - 1) {
                    Files.write(files.latestCheckpoint(), resigned);
                }
                return new Expected("re-sign checkpoint " + (k + 1), files.checkpointHistory(), k + 1L, k + 1L, false,
                        Kind.UNKNOWN_KEY);
            }
            default -> throw new AssertionError(tampering);
        }
    }

    private static int lineOf(List<byte[]> lines, int offset) {
        int line = 0;
        for (int start = 0; line < lines.size(); line++) {
            start += lines.get(line).length + 1;
            if (offset < start) {
                return line;
            }
        }
        return line;
    }

    private static int offsetOf(List<byte[]> lines, int line) {
        return lines.subList(0, line).stream().mapToInt(l -> l.length + 1).sum();
    }

    private static List<byte[]> splitLines(byte[] file) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < file.length; i++) {
            if (file[i] == '\n') {
                lines.add(Arrays.copyOfRange(file, start, i));
                start = i + 1;
            }
        }
        return lines;
    }

    private static byte[] join(List<byte[]> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        lines.forEach(line -> {
            out.writeBytes(line);
            out.write('\n');
        });
        return out.toByteArray();
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
