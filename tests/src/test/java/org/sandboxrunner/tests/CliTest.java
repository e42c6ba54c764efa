package org.sandboxrunner.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.core.cli.Main;
import picocli.CommandLine;

/** The command-line contract of issue 2: options, exit statuses, the result file. */
class CliTest {
    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    private int sandbox(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }

    @Test
    void passesTheExitStatusThroughAndWritesTheResult() throws Exception {
        Path result = tmp.resolve("result.json"), out = tmp.resolve("out");
        int code = sandbox("run", "--stdout", out.toString(), "--result", result.toString(), "--",
                "/bin/sh", "-c", "echo hello; exit 7");
        assertEquals(7, code, err.toString());
        assertEquals("hello\n", Files.readString(out));
        JsonNode json = new ObjectMapper().readTree(result.toFile());
        assertEquals("RE", json.get("status").asText());
        assertEquals(7, json.get("exitCode").asInt());
        assertTrue(json.get("signal").isNull());
        assertTrue(json.get("limit").isNull());
        assertEquals("default", json.get("profile").get("name").asText());
        assertTrue(json.get("profile").get("sha256").asText().matches("[0-9a-f]{64}"));
        for (String field : new String[] {"cpuTimeMs", "wallTimeMs", "memoryPeakBytes", "message"}) {
            assertTrue(json.has(field), field);
        }
    }

    @Test
    void aFractionalWallLimitKillsAndGivesTheSignalStatus() throws Exception {
        Path result = tmp.resolve("r.json");
        int code = sandbox("run", "--wall-limit", "0.3", "--result", result.toString(), "--", "sleep", "10");
        assertEquals(137, code);
        JsonNode json = new ObjectMapper().readTree(result.toFile());
        assertEquals("TLE", json.get("status").asText());
        assertEquals("wall", json.get("limit").asText());
    }

    @Test
    void aBadFlagIsOneLineAnd125() {
        assertEquals(125, sandbox("run", "--no-such-flag", "--", "true"));
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(err.toString().contains("--no-such-flag"), err.toString());
    }

    @Test
    void aBadValueNamesTheOption() {
        assertEquals(125, sandbox("run", "--memory-limit", "lots", "--", "true"));
        assertTrue(err.toString().contains("--memory-limit"), err.toString());
    }

    @Test
    void aMissingCommandIs127AndTheResultSaysXX() throws Exception {
        Path result = tmp.resolve("r.json");
        assertEquals(127, sandbox("run", "--result", result.toString(), "--", "no-such-command-xyz"));
        JsonNode json = new ObjectMapper().readTree(result.toFile());
        assertEquals("XX", json.get("status").asText());
        assertEquals("exec", json.get("failedStep").asText());
    }

    @Test
    void helpExplainsEveryOption() {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        assertEquals(0, cl.execute("run", "--help"));
        for (String option : new String[] {"--profile", "--workdir", "--bind", "--env", "--stdin", "--stdout", "--stderr",
            "--time-limit", "--wall-limit", "--memory-limit", "--pids-limit", "--output-limit", "--result"}) {
            assertTrue(out.toString().contains(option), option);
        }
    }
}
