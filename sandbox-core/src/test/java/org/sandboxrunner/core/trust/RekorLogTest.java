package org.sandboxrunner.core.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transparency-log parts of the sigstore-bundle vectors (inclusion proof, checkpoint, SET, all with
 * the real Rekor key) and the RFC 6962 inclusion-proof vectors.
 */
class RekorLogTest {

    /** Skips (with the reason) before any assertion when the vectors are not beside the checkout. */
    @BeforeEach
    void vectorsArePresent() {
        Vectors.dir();
    }


    private static final String MANAGED = "sigstore-bundle/conformance-managed-key/bundle.sigstore.json";
    private static final String DSSE = "sigstore-bundle/sigstore-go-dsse-publish/bundle-publish.json";

    private static RekorLog rekor() throws TrustException {
        return new RekorLog(SigstorePublicKey.parsePem(Vectors.read("signed-note/rekor-production.pub"), "rekor.pub"));
    }

    @Test
    void conformanceBundleTlogEntryVerifiesByProofCheckpointAndSet() throws TrustException {
        RekorLog log = rekor();
        assertTrue(log.logIdHex().startsWith("c0d23d6a"));
        assertEquals(771488337L, SigstoreBundle.parse(Vectors.read(MANAGED), "bundle").verifyTlog(log));
    }

    @Test
    void dsseBundleSetVerifies() throws TrustException {
        assertEquals(18300940L, SigstoreBundle.parse(Vectors.read(DSSE), "bundle").verifyTlog(rekor()));
    }

    @Test
    void anotherLogKeyIsRefused() throws TrustException {
        RekorLog other = new RekorLog(SigstorePublicKey.parsePem(Vectors.read("cosign-simplesigning/cosign.pub"), "k"));
        TrustException e = assertThrows(TrustException.class,
                () -> SigstoreBundle.parse(Vectors.read(MANAGED), "bundle").verifyTlog(other));
        assertEquals("bundle: no transparency-log entry verifies: tlog entry is from log"
                + " c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d, not the trusted log "
                + other.logIdHex(), e.getMessage());
    }

    @Test
    void aChangedProofHashOrCheckpointIsRefused() throws Exception {
        String json = new String(Vectors.read(MANAGED), StandardCharsets.UTF_8);
        String proofHash = "ysxPntoDCEDAQGR1QIbE4DwK5KtnNrdkP22LEmq0lCI=";
        assertTrue(json.contains(proofHash));
        String badProof = json.replace(proofHash, "ysxPntoDCEDAQGR1QIbE4DwK5KtnNrdkP22LEmq0lCA=");
        TrustException p = assertThrows(TrustException.class, () -> SigstoreBundle.parse(
                badProof.getBytes(StandardCharsets.UTF_8), "b").verifyTlog(rekor()));
        assertEquals("b: no transparency-log entry verifies: inclusion proof does not lead to the entry's root hash",
                p.getMessage());
        String badCheckpoint = json.replace("649584076\\nrnpac", "649584077\\nrnpac");
        TrustException c = assertThrows(TrustException.class, () -> SigstoreBundle.parse(
                badCheckpoint.getBytes(StandardCharsets.UTF_8), "b").verifyTlog(rekor()));
        assertEquals("b: no transparency-log entry verifies: checkpoint is not signed by the trusted log key",
                c.getMessage());
        String badSet = json.replace("\"integratedTime\":\"1766077479\"", "\"integratedTime\":\"1766077480\"");
        TrustException s = assertThrows(TrustException.class, () -> SigstoreBundle.parse(
                badSet.getBytes(StandardCharsets.UTF_8), "b").verifyTlog(rekor()));
        assertEquals("b: no transparency-log entry verifies: the tlog entry's signed entry timestamp does not verify"
                + " with the trusted log key", s.getMessage());
    }

    @Test
    void checkpointsFromTheSignedNoteVectorsVerifyAndUnknownSignersAreIgnored() throws TrustException {
        RekorLog.Checkpoint c = rekor().verifyCheckpoint(new String(Vectors.read("signed-note/rekor-checkpoint.note"),
                StandardCharsets.UTF_8));
        assertTrue(c.origin().startsWith("rekor.sigstore.dev"));
        RekorLog.Checkpoint multi = rekor().verifyCheckpoint(new String(
                Vectors.read("signed-note/rekor-checkpoint-multi-sig.note"), StandardCharsets.UTF_8));
        assertTrue(multi.treeSize() > 0);
    }

    @Test
    void rfc6962InclusionVectors() throws Exception {
        Path dir = Vectors.dir().resolve("rfc6962-merkle/inclusion");
        ObjectMapper json = new ObjectMapper();
        int happy = 0;
        int refused = 0;
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path f : files) {
            JsonNode v = json.readTree(f.toFile());
            List<byte[]> proof = new ArrayList<>();
            v.path("proof").forEach(h -> proof.add(Base64.getDecoder().decode(h.asText())));
            byte[] root = Base64.getDecoder().decode(v.path("root").asText(""));
            boolean ok;
            try {
                ok = MessageDigest.isEqual(root, MerkleProofs.rootFromInclusionProof(v.path("leafIdx").asLong(),
                        v.path("treeSize").asLong(), Base64.getDecoder().decode(v.path("leafHash").asText("")), proof));
            } catch (TrustException e) {
                ok = false;
            }
            assertEquals(!v.path("wantErr").asBoolean(), ok, f.toString());
            if (ok) {
                happy++;
            } else {
                refused++;
            }
        }
        assertTrue(happy >= 5, "happy paths: " + happy);
        assertTrue(refused >= 50, "refused: " + refused);
        assertFalse(files.isEmpty());
    }
}
