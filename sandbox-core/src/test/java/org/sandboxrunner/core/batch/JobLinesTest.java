package org.sandboxrunner.core.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.core.run.Input;
import org.sandboxrunner.core.run.LimitOverrides;
import org.sandboxrunner.core.run.Output;
import org.sandboxrunner.core.run.RunRequest;

class JobLinesTest {
    @TempDir
    Path dir;

    private JobLines.Parsed parse(String... lines) {
        return JobLines.parse(List.of(lines), dir);
    }

    /** The one bad line of a one-line file, as the CLI prints it. */
    private String error(String line) {
        JobLines.Parsed p = parse(line);
        assertEquals(List.of(), p.jobs(), "parsed as a job: " + line);
        assertEquals(1, p.badLines().size());
        return p.badLines().get(0).format("jobs.jsonl");
    }

    @Test
    void aFullLineBecomesTheRequestItSays() throws IOException {
        Files.createDirectory(dir.resolve("w"));
        Files.writeString(dir.resolve("in.txt"), "42\n");
        JobLines.Parsed p = parse("{\"id\":\"a1\",\"profile\":\"default\",\"command\":[\"python3\",\"main.py\"],"
                + "\"workdir\":\"w\",\"stdin\":\"in.txt\",\"stdout\":\"out.txt\",\"stderr\":\"" + dir.resolve("err.txt") + "\","
                + "\"limits\":{\"cpuTimeMs\":2000,\"wallTimeMs\":5000,\"memoryBytes\":268435456,\"pids\":16,\"outputBytes\":0},"
                + "\"env\":{\"LANG\":\"C\",\"X\":\"a=b\"}}");
        assertEquals(List.of(), p.badLines());
        BatchJob job = p.jobs().get(0);
        assertEquals("a1", job.id());
        RunRequest r = job.request();
        assertEquals("default", r.profile().name());
        assertEquals(List.of("python3", "main.py"), r.command());
        assertEquals(Optional.of(dir.resolve("w")), r.workdir());
        assertEquals(Input.file(dir.resolve("in.txt")), r.stdin());
        assertEquals(Output.file(dir.resolve("out.txt")), r.stdout());
        assertEquals(Output.file(dir.resolve("err.txt")), r.stderr());
        assertEquals(new LimitOverrides(OptionalLong.of(2000), OptionalLong.of(5000), OptionalLong.of(268435456),
                OptionalLong.of(16), OptionalLong.of(0)), r.limits());
        assertEquals(List.of("LANG=C", "X=a=b"), r.env());
        assertEquals(List.of(), r.binds());
    }

    @Test
    void aMinimalLineTakesTheDefaults() {
        RunRequest r = parse("{\"id\":\"m\",\"command\":[\"/bin/true\"]}").jobs().get(0).request();
        assertEquals("default", r.profile().name());
        assertEquals(Optional.empty(), r.workdir());
        assertEquals(Input.empty(), r.stdin());
        assertEquals(Output.discard(), r.stdout());
        assertEquals(Output.discard(), r.stderr());
        assertEquals(LimitOverrides.none(), r.limits());
        assertEquals(List.of(), r.env());
    }

    @Test
    void theStrictMapperRefusesWhatALaxOneWouldGuess() {
        assertEquals("jobs.jsonl:1: unknown field 'comand'", error("{\"id\":\"a\",\"comand\":[\"true\"]}"));
        assertEquals("jobs.jsonl:1: unknown field 'limits.cpu'",
                error("{\"id\":\"a\",\"command\":[\"true\"],\"limits\":{\"cpu\":1}}"));
        assertEquals("jobs.jsonl:1: column 31: Duplicate field 'id'", error("{\"id\":\"a\",\"command\":[\"x\"],\"id\":\"b\"}"));
        assertEquals("jobs.jsonl:1: column 31: more after the job's JSON object: one job per line",
                error("{\"id\":\"a\",\"command\":[\"true\"]} {\"id\":\"b\"}"));
        assertEquals("jobs.jsonl:1: field 'limits.pids' must be a whole number",
                error("{\"id\":\"a\",\"command\":[\"true\"],\"limits\":{\"pids\":\"5\"}}"));
        assertEquals("jobs.jsonl:1: field 'limits.wallTimeMs' must be a whole number",
                error("{\"id\":\"a\",\"command\":[\"true\"],\"limits\":{\"wallTimeMs\":1.5}}"));
        assertEquals("jobs.jsonl:1: field 'id' must be a string", error("{\"id\":7,\"command\":[\"true\"]}"));
        assertEquals("jobs.jsonl:1: field 'command' must be an array of strings", error("{\"id\":\"a\",\"command\":\"true\"}"));
        assertEquals("jobs.jsonl:1: field 'env' must be an object whose values are strings",
                error("{\"id\":\"a\",\"command\":[\"true\"],\"env\":[\"A=B\"]}"));
        assertEquals("jobs.jsonl:1: a job must be a JSON object", error("[\"true\"]"));
        assertEquals("jobs.jsonl:1: field 'limits.pids': number out of range",
                error("{\"id\":\"a\",\"command\":[\"true\"],\"limits\":{\"pids\":99999999999999999999}}"));
        assertTrue(error("{\"id\":\"a\",").startsWith("jobs.jsonl:1: column 11: Unexpected end-of-input"), error("{\"id\":\"a\","));
    }

    @Test
    void valuesAreCheckedWithMessagesThatSayWhatIsWrong() {
        assertEquals("jobs.jsonl:1: id is required", error("{\"command\":[\"true\"]}"));
        assertEquals("jobs.jsonl:1: job id must not be blank", error("{\"id\":\" \",\"command\":[\"true\"]}"));
        assertEquals("jobs.jsonl:1: command is required: an array with the program and its arguments",
                error("{\"id\":\"a\",\"command\":[]}"));
        assertEquals("jobs.jsonl:1: command[1] must be a string", error("{\"id\":\"a\",\"command\":[\"true\",null]}"));
        assertEquals("jobs.jsonl:1: limits: CPU time limit must be positive, got 0",
                error("{\"id\":\"a\",\"command\":[\"true\"],\"limits\":{\"cpuTimeMs\":0}}"));
        assertEquals("jobs.jsonl:1: env: 'A=B' is not a variable name (no '=', not empty)",
                error("{\"id\":\"a\",\"command\":[\"true\"],\"env\":{\"A=B\":\"c\"}}"));
        assertEquals("jobs.jsonl:1: workdir " + dir.resolve("nope") + " is not a directory",
                error("{\"id\":\"a\",\"command\":[\"true\"],\"workdir\":\"nope\"}"));
        assertEquals("jobs.jsonl:1: stdin " + dir.resolve("none.txt") + " is not a file",
                error("{\"id\":\"a\",\"command\":[\"true\"],\"stdin\":\"none.txt\"}"));
        assertEquals("jobs.jsonl:1: stdout " + dir.resolve("no/out") + ": its directory does not exist",
                error("{\"id\":\"a\",\"command\":[\"true\"],\"stdout\":\"no/out\"}"));
        assertEquals("jobs.jsonl:1: empty line: each line must be one job", error(""));
        assertTrue(error("{\"id\":\"a\",\"command\":[\"true\"],\"profile\":\"no-such-profile\"}")
                .startsWith("jobs.jsonl:1: profile 'no-such-profile': "));
    }

    @Test
    void idsAndWorkdirsAreOneJobsOnly() throws IOException {
        Files.createDirectory(dir.resolve("w"));
        JobLines.Parsed p = parse(
                "{\"id\":\"a\",\"command\":[\"true\"],\"workdir\":\"w\"}",
                "{\"id\":\"b\",\"command\":[\"true\"]}",
                "{\"id\":\"a\",\"command\":[\"true\"]}",
                "{\"id\":\"c\",\"command\":[\"true\"],\"workdir\":\"" + dir.resolve("w") + "/.\"}");
        assertEquals(List.of("a", "b"), p.jobs().stream().map(BatchJob::id).toList());
        assertEquals(List.of(
                new JobLines.BadLine(3, "duplicate id 'a' (first on line 1)"),
                new JobLines.BadLine(4, "workdir " + dir.resolve("w") + " is also the workdir of line 1: jobs run in"
                        + " parallel, so each needs its own")), p.badLines());
    }

    @Test
    void aBadLineDoesNotClaimItsIdAndEveryLineNamingABadProfileIsReported() {
        JobLines.Parsed p = parse(
                "{\"id\":\"a\",\"command\":[]}",
                "{\"id\":\"a\",\"command\":[\"true\"]}",
                "{\"id\":\"b\",\"command\":[\"true\"],\"profile\":\"missing-one\"}",
                "{\"id\":\"c\",\"command\":[\"true\"],\"profile\":\"missing-one\"}");
        assertEquals(List.of("a"), p.jobs().stream().map(BatchJob::id).toList());
        assertEquals(List.of(1, 3, 4), p.badLines().stream().map(JobLines.BadLine::number).toList());
        assertEquals(p.badLines().get(1).message(), p.badLines().get(2).message());
    }

    @Test
    void aFileIsReadLineByLineAndMustBeUtf8() throws IOException {
        Path file = dir.resolve("jobs.jsonl");
        Files.writeString(file, "{\"id\":\"a\",\"command\":[\"true\"]}\n{\"id\":\"b\"}\n{\"id\":\"c\",\"command\":[\"true\"]}\n");
        JobLines.Parsed p = JobLines.read(file, dir);
        assertEquals(List.of("a", "c"), p.jobs().stream().map(BatchJob::id).toList());
        assertEquals(List.of(new JobLines.BadLine(2, "command is required: an array with the program and its arguments")),
                p.badLines());
        Files.write(file, ("{\"id\":\"a\",\"command\":[\"true\"]}\n{\"id\":\"\u00e9").getBytes(StandardCharsets.ISO_8859_1));
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> JobLines.read(file, dir));
        assertEquals(file + ":2: not UTF-8 text", e.getMessage());
    }
}
