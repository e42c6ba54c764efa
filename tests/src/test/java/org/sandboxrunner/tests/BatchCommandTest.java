package org.sandboxrunner.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.core.cli.BatchCommand;
import picocli.CommandLine;

/** {@code sandbox batch} end to end: real runs, good and bad lines, the results file and the exit status. */
class BatchCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();
    private Path jobs, results, box;

    private int batch(String... args) {
        CommandLine cl = new CommandLine(new BatchCommand());
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }

    @BeforeEach
    void jobsFile() throws IOException {
        jobs = tmp.resolve("jobs.jsonl");
        results = tmp.resolve("results.jsonl");
        box = Files.createDirectory(tmp.resolve("box"));
        Files.writeString(tmp.resolve("in.txt"), "42\n");
        Files.write(jobs, List.of(
                "{\"id\":\"ok\",\"command\":[\"/bin/true\"]}",
                "{\"id\":\"exit3\",\"command\":[\"/bin/sh\",\"-c\",\"exit 3\"]}",
                "{\"id\":\"stdin\",\"command\":[\"/bin/sh\",\"-c\",\"read x; echo got $x\"],\"stdin\":\"" + tmp.resolve("in.txt")
                        + "\",\"stdout\":\"" + tmp.resolve("stdin.out") + "\"}",
                "{\"id\":\"env\",\"command\":[\"/bin/sh\",\"-c\",\"echo $GREETING >&2\"],\"env\":{\"GREETING\":\"hi\"},"
                        + "\"stderr\":\"" + tmp.resolve("env.err") + "\"}",
                "{\"id\":\"wall\",\"command\":[\"sleep\",\"10\"],\"limits\":{\"wallTimeMs\":300}}",
                "{\"id\":\"bogus\",\"command\":[\"/bin/true\"],\"bogus\":1}",
                "{\"id\":\"missing\",\"command\":[\"no-such-command-xyz\"]}",
                "{\"id\":\"twice\",\"id\":\"again\",\"command\":[\"/bin/true\"]}",
                "{\"id\":\"box\",\"command\":[\"/bin/sh\",\"-c\",\"echo made > /box/made\"],\"workdir\":\"" + box + "\"}",
                "{\"id\":\"trailing\",\"command\":[\"/bin/true\"]} {}",
                "not json"));
    }

    @Test
    void goodLinesRunBadOnesAreSkippedWithTheirLineNumbers() throws Exception {
        int code = batch("--jobs", jobs.toString(), "--results", results.toString(), "--parallel", "2",
                "--on-bad-line", "skip");
        assertEquals(1, code, err.toString());
        for (String expected : List.of(
                jobs + ":6: unknown field 'bogus' (skipped)",
                jobs + ":8: column 19: Duplicate field 'id' (skipped)",
                jobs + ":10: column 43: more after the job's JSON object: one job per line (skipped)")) {
            assertTrue(err.toString().contains("sandbox: " + expected), "missing '" + expected + "' in\n" + err);
        }
        assertTrue(err.toString().contains(jobs + ":11: column 4: Unrecognized token 'not'"), err.toString());
        assertTrue(err.toString().contains("batch: 7/7 done (100%)"), err.toString());

        Map<String, JsonNode> byId = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(results)) {
            JsonNode node = json.readTree(line);
            assertEquals(List.of("id", "result"), fieldNames(node), line);
            assertFalse(byId.containsKey(node.get("id").asText()), "two lines for " + node.get("id"));
            byId.put(node.get("id").asText(), node.get("result"));
        }
        assertEquals(Map.of("ok", "OK", "exit3", "RE", "stdin", "OK", "env", "OK", "wall", "TLE", "missing", "XX", "box", "OK"),
                statuses(byId));
        assertEquals(3, byId.get("exit3").get("exitCode").asInt());
        assertEquals("wall", byId.get("wall").get("limit").asText());
        assertEquals("exec", byId.get("missing").get("failedStep").asText());
        assertEquals("default", byId.get("ok").get("profile").get("name").asText());
        assertEquals("got 42\n", Files.readString(tmp.resolve("stdin.out")));
        assertEquals("hi\n", Files.readString(tmp.resolve("env.err")));
        assertEquals("made\n", Files.readString(box.resolve("made")));
    }

    @Test
    void withRefuseABadLineStopsTheBatchBeforeAnythingRuns() {
        int code = batch("--jobs", jobs.toString(), "--results", results.toString());
        assertEquals(125, code, err.toString());
        assertTrue(err.toString().contains("sandbox: " + jobs + ":6: unknown field 'bogus'\n"), err.toString());
        assertTrue(err.toString().contains("4 bad line(s) in " + jobs + ": nothing was run"), err.toString());
        assertFalse(Files.exists(results), "a refused batch wrote results");
        assertFalse(Files.exists(box.resolve("made")), "a refused batch ran a job");
    }

    @Test
    void aCleanFileExitsZero() throws Exception {
        Files.write(jobs, List.of("{\"id\":\"a\",\"command\":[\"/bin/true\"]}", "{\"id\":\"b\",\"command\":[\"/bin/false\"]}"));
        assertEquals(0, batch("--jobs", jobs.toString(), "--results", results.toString(), "--parallel", "1"), err.toString());
        assertEquals(List.of("a", "b"), Files.readAllLines(results).stream()
                .map(l -> l.substring(l.indexOf(":\"") + 2, l.indexOf("\","))).sorted().toList());
    }

    @Test
    void usageErrorsAre125AndSayWhatIsWrong() {
        assertEquals(125, batch("--jobs", tmp.resolve("none.jsonl").toString(), "--results", results.toString()));
        assertTrue(err.toString().contains("cannot read the jobs file " + tmp.resolve("none.jsonl") + ": no such file"),
                err.toString());
        assertEquals(125, batch("--jobs", jobs.toString(), "--results", results.toString(), "--on-bad-line", "ignore"));
        assertTrue(err.toString().contains("--on-bad-line takes skip or refuse, got 'ignore'"), err.toString());
        assertEquals(125, batch("--jobs", jobs.toString(), "--results", results.toString(), "--parallel", "0"));
        assertTrue(err.toString().contains("--parallel takes a whole number from 1 to 1024, got 0"), err.toString());
        assertEquals(125, batch("--results", results.toString()));
        assertTrue(err.toString().contains("Missing required option: '--jobs=FILE.jsonl'"), err.toString());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Map<String, String> statuses(Map<String, JsonNode> byId) {
        Map<String, String> s = new HashMap<>();
        byId.forEach((id, r) -> s.put(id, r.get("status").asText()));
        return s;
    }
}
