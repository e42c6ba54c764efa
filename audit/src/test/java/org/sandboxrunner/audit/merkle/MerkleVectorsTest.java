package org.sandboxrunner.audit.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.sandboxrunner.audit.SharedVectors;

/** transparency-dev/merkle's inclusion and consistency vectors and the RFC 6962 roots of sizes 0 to 8. */
class MerkleVectorsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TestFactory
    Stream<DynamicTest> inclusionVectors() throws IOException {
        List<Path> files = vectorFiles("inclusion");
        assertEquals(98, files.size(), "inclusion vector count");
        return files.stream().map(file -> DynamicTest.dynamicTest(name(file), () -> {
            JsonNode v = JSON.readTree(file.toFile());
            if (v.get("wantErr").asBoolean()) {
                assertThrows(InvalidProofException.class, () -> MerkleProofs.verifyInclusion(v.get("leafIdx").asLong(),
                        v.get("treeSize").asLong(), b64(v.get("leafHash")), proof(v), b64(v.get("root"))), v.get("desc").asText());
            } else {
                assertDoesNotThrow(() -> MerkleProofs.verifyInclusion(v.get("leafIdx").asLong(), v.get("treeSize").asLong(),
                        b64(v.get("leafHash")), proof(v), b64(v.get("root"))), v.get("desc").asText());
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> consistencyVectors() throws IOException {
        List<Path> files = vectorFiles("consistency");
        assertEquals(98, files.size(), "consistency vector count");
        return files.stream().map(file -> DynamicTest.dynamicTest(name(file), () -> {
            JsonNode v = JSON.readTree(file.toFile());
            if (v.get("wantErr").asBoolean()) {
                assertThrows(InvalidProofException.class, () -> MerkleProofs.verifyConsistency(v.get("size1").asLong(),
                        v.get("size2").asLong(), proof(v), b64(v.get("root1")), b64(v.get("root2"))), v.get("desc").asText());
            } else {
                assertDoesNotThrow(() -> MerkleProofs.verifyConsistency(v.get("size1").asLong(), v.get("size2").asLong(),
                        proof(v), b64(v.get("root1")), b64(v.get("root2"))), v.get("desc").asText());
            }
        }));
    }

    @Test
    void compactRangeGivesTheRootsOfEverySizeFromZeroToEight() throws IOException {
        JsonNode roots = JSON.readTree(SharedVectors.dir("rfc6962-merkle").resolve("tree-roots.json").toFile());
        HexFormat hex = HexFormat.of();
        CompactRange tree = new CompactRange();
        assertArrayEquals(hex.parseHex(roots.get("rootHashesHexBySize").get("0").asText()), tree.root());
        for (int i = 0; i < 8; i++) {
            byte[] leaf = MerkleHash.leaf(hex.parseHex(roots.get("leafInputsHex").get(i).asText()));
            assertArrayEquals(hex.parseHex(roots.get("leafHashesHex").get(i).asText()), leaf, "leaf " + i);
            tree.append(leaf);
            assertArrayEquals(hex.parseHex(roots.get("rootHashesHexBySize").get(String.valueOf(i + 1)).asText()), tree.root(),
                    "root of size " + (i + 1));
            CompactRange restored = new CompactRange(tree.size(), tree.subtreeRoots());
            assertArrayEquals(tree.root(), restored.root(), "restored range of size " + (i + 1));
        }
    }

    @Test
    void compactRangeRefusesStateThatCannotBelongToItsSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CompactRange(3, List.of(new byte[32])));
        assertEquals("a tree of 3 leaves has 2 perfect subtrees, but 1 subtree hashes were given", e.getMessage());
    }

    private static List<Path> vectorFiles(String kind) throws IOException {
        try (Stream<Path> walk = Files.walk(SharedVectors.dir("rfc6962-merkle").resolve(kind))) {
            return walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static String name(Path file) {
        return file.getParent().getFileName() + "/" + file.getFileName();
    }

    private static byte[] b64(JsonNode node) {
        return Base64.getDecoder().decode(node.asText());
    }

    private static List<byte[]> proof(JsonNode v) {
        List<byte[]> proof = new ArrayList<>();
        v.get("proof").forEach(h -> proof.add(b64(h)));
        return proof;
    }
}
