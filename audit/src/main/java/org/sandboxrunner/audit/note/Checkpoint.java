package org.sandboxrunner.audit.note;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.sandboxrunner.audit.merkle.MerkleHash;

/**
 * The body of a C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): origin, tree size and RFC 6962
 * root hash on three lines, then optional non-empty extension lines.
 *
 * @param origin unique identifier of the log, non-empty
 * @param size number of leaves
 * @param rootHash the 32-byte Merkle tree head at {@code size}
 * @param extensions extension lines, each non-empty (tlog-checkpoint does not recommend them)
 */
public record Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {

    public Checkpoint {
        requireLine("origin", origin);
        if (size < 0) {
            throw new IllegalArgumentException("tree size " + size + " is negative");
        }
        if (rootHash.length != MerkleHash.SIZE) {
            throw new IllegalArgumentException("root hash has " + rootHash.length + " bytes, not " + MerkleHash.SIZE);
        }
        rootHash = rootHash.clone();
        extensions = List.copyOf(extensions);
        extensions.forEach(line -> requireLine("extension line", line));
    }

    private static void requireLine(String what, String line) {
        if (line.isEmpty() || line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException(what + " must be one non-empty line");
        }
    }

    /**
     * Parses a checkpoint note text (as returned by {@link SignedNote#text()}).
     *
     * @throws NoteFormatException naming the line that is wrong
     */
    public static Checkpoint parse(String text) throws NoteFormatException {
        if (!text.endsWith("\n")) {
            throw new NoteFormatException("checkpoint text does not end with a newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 3) {
            throw new NoteFormatException("checkpoint has " + lines.length + " lines; origin, size and root hash are needed");
        }
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                throw new NoteFormatException("checkpoint line " + (i + 1) + " is empty");
            }
        }
        if (!lines[1].matches("0|[1-9][0-9]{0,18}")) {
            throw new NoteFormatException("checkpoint line 2: tree size \"" + lines[1] + "\" is not a decimal without leading zeros");
        }
        long size;
        try {
            size = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw new NoteFormatException("checkpoint line 2: tree size " + lines[1] + " is too large");
        }
        byte[] root = NoteKeyIds.decodeBase64("checkpoint line 3 (root hash)", lines[2]);
        if (root.length != MerkleHash.SIZE) {
            throw new NoteFormatException("checkpoint line 3: root hash has " + root.length + " bytes, not " + MerkleHash.SIZE);
        }
        return new Checkpoint(lines[0], size, root, List.of(lines).subList(3, lines.length));
    }

    /** The note text: each line followed by a newline. */
    public String text() {
        StringBuilder out = new StringBuilder()
                .append(origin).append('\n')
                .append(size).append('\n')
                .append(Base64.getEncoder().encodeToString(rootHash)).append('\n');
        extensions.forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    public boolean hasRoot(byte[] root) {
        return MessageDigest.isEqual(rootHash, root);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Checkpoint that && text().equals(that.text());
    }

    @Override
    public int hashCode() {
        return text().hashCode();
    }

    @Override
    public String toString() {
        return "Checkpoint[" + origin + ", size " + size + ", root " + HexFormat.of().formatHex(rootHash) + "]";
    }

}
