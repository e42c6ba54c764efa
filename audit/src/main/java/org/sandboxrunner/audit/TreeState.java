package org.sandboxrunner.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.sandboxrunner.audit.merkle.CompactRange;

/**
 * What a writer needs to go on appending without reading the log from the start: the Merkle
 * tree's right edge, the byte offset after the last line, and that line's start and hash (to check
 * the file still holds it, and to chain the next line). Persisted as {@code FILE.tree}; the writer
 * trusts it only after checking it against the log.
 */
final class TreeState {

    /** The wire form of {@code FILE.tree}. */
    record Wire(int version, String origin, long size, long end, long lastLineStart, String lastLineHash,
            List<String> subtrees) {
    }

    private static final int VERSION = 1;
    private static final JsonMapper MAPPER = StrictJson.newMapper();
    private static final HexFormat HEX = HexFormat.of();

    final String origin;
    final CompactRange tree;
    final long end;
    final long lastLineStart;
    final byte[] lastLineHash;

    TreeState(String origin, CompactRange tree, long end, long lastLineStart, byte[] lastLineHash) {
        this.origin = Objects.requireNonNull(origin);
        this.tree = tree;
        this.end = end;
        this.lastLineStart = lastLineStart;
        this.lastLineHash = lastLineHash.clone();
    }

    byte[] toJson() {
        Wire wire = new Wire(VERSION, origin, tree.size(), end, lastLineStart, HEX.formatHex(lastLineHash),
                tree.subtreeRoots().stream().map(HEX::formatHex).toList());
        try {
            return MAPPER.writeValueAsBytes(wire);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serialising the tree state failed", e);
        }
    }

    /**
     * Reads {@code FILE.tree}.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static TreeState fromJson(byte[] json) {
        Wire wire;
        try {
            wire = MAPPER.readValue(json, Wire.class);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a tree state: " + e.getMessage(), e);
        }
        if (wire.version != VERSION) {
            throw new IllegalArgumentException("tree state version " + wire.version + " is not " + VERSION);
        }
        if (wire.end < 0 || wire.lastLineStart < 0 || (wire.size > 0 && wire.lastLineStart >= wire.end)) {
            throw new IllegalArgumentException("tree state offsets end=" + wire.end + " lastLineStart=" + wire.lastLineStart
                    + " are inconsistent");
        }
        CompactRange tree = new CompactRange(wire.size, wire.subtrees.stream().map(HEX::parseHex).toList());
        return new TreeState(wire.origin, tree, wire.end, wire.lastLineStart, HEX.parseHex(wire.lastLineHash));
    }
}
