package org.sandboxrunner.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run the state gate stopped: its result JSON names the step and lists the differences. */
class StateProofJsonTest {

    @Test
    void aVerifyStateFailureCarriesTheStateHashAndTheDifferences() throws Exception {
        StateProof proof = new StateProof("ab".repeat(32), 12, "cd".repeat(32),
                List.of("ambient: expected 0000000000000020, observed 0000000000000000"));
        SandboxSetupException e = new SandboxSetupException("verify-state", "the kernel's state differs", 125, null, proof);
        JsonNode json = JsonMapper.builder().build().readTree(ResultJson.setupFailure("run-1", e, "p", "ef".repeat(32)).toJson());
        assertEquals("XX", json.get("status").asText());
        assertEquals("verify-state", json.get("failedStep").asText());
        JsonNode state = json.get("state");
        assertEquals("ab".repeat(32), state.get("sha256").asText());
        assertEquals(12, state.get("mountCount").asInt());
        assertEquals("cd".repeat(32), state.get("mountTableSha256").asText());
        assertEquals("ambient: expected 0000000000000020, observed 0000000000000000", state.get("differences").get(0).asText());
        assertEquals(1, state.get("differences").size());
    }

    @Test
    void anyOtherSetupFailureHasNoState() throws Exception {
        SandboxSetupException e = new SandboxSetupException("mounts", "no such directory", 125, null);
        JsonNode json = JsonMapper.builder().build().readTree(ResultJson.setupFailure("run-2", e, null, null).toJson());
        assertEquals(true, json.get("state").isNull());
    }
}
