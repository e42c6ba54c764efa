package org.sandboxrunner.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditLinesTest {

    private static final Actor ACTOR = new Actor(1000, "judge", 4242, "0.1.0-SNAPSHOT");
    private static final String PREV = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static AuditRecord record(AuditEvent event) {
        return new AuditRecord(7, PREV, Instant.parse("2026-11-25T11:15:00.123456Z"), "5f0c6c1e-8c1a-4a43-9d0e-2b1f7c3f9e10",
                ACTOR, event);
    }

    @Test
    void aLineHasTheFixedFieldOrderAndShape() throws Exception {
        String line = new String(AuditLines.encode(record(TestEvents.outcome("run-42", "OK", 12, 3_145_728))), StandardCharsets.UTF_8);
        assertEquals("{\"seq\":7,\"prev\":\"" + PREV + "\",\"time\":\"2026-11-25T11:15:00.123456Z\","
                + "\"id\":\"5f0c6c1e-8c1a-4a43-9d0e-2b1f7c3f9e10\",\"type\":\"run.outcome\","
                + "\"actor\":{\"uid\":1000,\"user\":\"judge\",\"pid\":4242,\"version\":\"0.1.0-SNAPSHOT\"},"
                + "\"object\":{\"runId\":\"run-42\",\"profile\":\"judge-default\",\"profileSha256\":\"" + TestEvents.PROFILE_SHA + "\","
                + "\"imageDigest\":\"sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00\","
                + "\"signerKeyId\":\"cosign:ab12\",\"command\":[\"/usr/bin/python3\",\"solution.py\"]},"
                + "\"action\":\"run\",\"result\":\"success\",\"reason\":\"\","
                + "\"details\":{\"status\":\"OK\",\"exitCode\":0,\"cpuTimeMs\":12,\"wallTimeMs\":19,\"memoryPeakBytes\":3145728}}", line);
    }

    @Test
    void decodingGivesBackTheRecord() throws Exception {
        AuditRecord record = record(AuditEvent.failure("policy.denial", "load-profile", "unknown field \"proces\" at line 3",
                AuditObject.NONE, AuditEvent.newDetails().put("ratio", 0.25).put("text", "é\n\u0001")));
        assertEquals(record, AuditLines.decode(AuditLines.encode(record)));
    }

    @Test
    void aLineOver64KiBIsRefusedBeforeAnythingIsWritten() {
        AuditEvent big = AuditEvent.success("run.step", "exec", AuditObject.NONE,
                AuditEvent.newDetails().put("blob", "x".repeat(AuditLines.MAX_LINE_BYTES)));
        LineTooLongException e = assertThrows(LineTooLongException.class, () -> AuditLines.encode(record(big)));
        assertEquals("audit event run.step (exec) serialises to 65973 bytes with its newline, over the 65536-byte line limit;"
                + " shorten its details", e.getMessage());
    }

    @Test
    void validJsonThatTheWriterWouldNotWriteIsRefusedWithTheReason() throws Exception {
        String line = new String(AuditLines.encode(record(TestEvents.step("r", "exec"))), StandardCharsets.UTF_8);
        assertDecodeFails(line.replace("\"seq\":7,", "\"seq\": 7,"), "valid JSON but not as the writer writes it (spacing,"
                + " escapes or number spelling differ)");
        assertDecodeFails(line.replace("\"seq\":7,\"prev\"", "\"prev\"").replace("\"time\"", "\"seq\":7,\"time\""),
                "the line has fields [prev, seq, time, id, type, actor, object, action, result, reason, details]; expected"
                        + " exactly [seq, prev, time, id, type, actor, object, action, result, reason, details] in that order");
        assertDecodeFails(line.replace("\"seq\":7,", "\"seq\":7,\"seq\":7,"), "not JSON: Duplicate field 'seq'");
        assertDecodeFails(line + " {}", "not JSON: Trailing token (of type START_OBJECT) found after value (bound as"
                + " `com.fasterxml.jackson.databind.JsonNode`): not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`");
        assertDecodeFails(line.replace("\"result\":\"success\"", "\"result\":\"ok\""),
                "result \"ok\" is neither \"success\" nor \"failure\"");
        assertDecodeFails(line.replace(".123456Z", ".123Z"), "time \"2026-11-25T11:15:00.123Z\" is not RFC 3339 UTC with six"
                + " fraction digits");
        assertDecodeFails("[]", "not a JSON object");
    }

    @Test
    void eventsRefuseBadNames() {
        assertEquals("event type \"Run Outcome\" is not dotted lower-case words of at most 64 characters, like run.outcome",
                assertThrows(IllegalArgumentException.class,
                        () -> AuditEvent.success("Run Outcome", "run", AuditObject.NONE, AuditEvent.newDetails())).getMessage());
        assertEquals("profileSha256 \"abc\" is not 64 lowercase hex digits",
                assertThrows(IllegalArgumentException.class, () -> AuditObject.NONE.withProfile("p", "abc")).getMessage());
    }

    @Test
    void eventDetailsCannotBeChangedAfterTheEventIsBuilt() {
        var details = AuditEvent.newDetails().put("status", "OK");
        AuditEvent event = AuditEvent.success("run.outcome", "run", AuditObject.NONE, details);
        details.put("status", "RE");
        event.details().put("status", "XX");
        assertEquals("OK", event.details().get("status").asText());
        assertEquals(List.of(), event.object().command());
    }

    private static void assertDecodeFails(String line, String message) {
        AuditFormatException e = assertThrows(AuditFormatException.class, () -> AuditLines.decode(line.getBytes(StandardCharsets.UTF_8)));
        assertEquals(message, e.getMessage());
    }
}
