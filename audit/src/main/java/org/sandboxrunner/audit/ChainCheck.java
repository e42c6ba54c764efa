package org.sandboxrunner.audit;

import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.stream.IntStream;
import org.sandboxrunner.audit.VerificationReport.Kind;

/**
 * Finds the first line that breaks the hash chain and says what most likely happened there.
 *
 * <p>Line {@code p} is in place when its {@code seq} is {@code p} and its {@code prev} is the
 * SHA-256 of line {@code p-1} (of the origin for line 0). At the first line that is not, the
 * neighbours tell the cases apart: an edited line breaks only the link after it; an edited
 * {@code prev} breaks the links before and after its line; a deleted line leaves a gap in
 * {@code seq}; a moved line has its {@code prev} pointing at a line elsewhere in the file; an
 * inserted line is skipped by a chain that goes on past it; a duplicate has the same bytes as
 * another line.
 */
final class ChainCheck {

    /**
     * The first break.
     *
     * @param index 0-based line
     */
    record Finding(int index, Kind kind, String message) {
    }

    private final List<LineFacts> lines;
    private final String originHashHex;
    private final LongFunction<Optional<Boolean>> rootMatchesAtSize;

    /**
     * @param originHashHex SHA-256 of the origin in hex, or null when no trusted checkpoint names it
     * @param rootMatchesAtSize for a tree size, whether a trusted checkpoint of exactly that size
     *        matches the log's Merkle root; empty when there is none
     */
    private ChainCheck(List<LineFacts> lines, String originHashHex, LongFunction<Optional<Boolean>> rootMatchesAtSize) {
        this.lines = lines;
        this.originHashHex = originHashHex;
        this.rootMatchesAtSize = rootMatchesAtSize;
    }

    static Optional<Finding> firstBreak(List<LineFacts> lines, String originHashHex,
            LongFunction<Optional<Boolean>> rootMatchesAtSize) {
        return new ChainCheck(lines, originHashHex, rootMatchesAtSize).find();
    }

    private Optional<Finding> find() {
        for (int p = 0; p < lines.size(); p++) {
            LineFacts line = lines.get(p);
            if (!line.decoded()) {
                return Optional.of(chainsPast(p)
                        ? finding(p, Kind.INSERTED, "not an audit line (" + line.error() + "), and line " + number(p + 1)
                                + " continues the chain without it")
                        : finding(p, Kind.EDITED, "not an audit line: " + line.error()));
            }
            boolean seqOk = line.seq() == p;
            boolean prevOk = prevFits(p, line.prev());
            if (seqOk && prevOk) {
                continue;
            }
            return Optional.of(seqOk ? brokenLink(p) : misplaced(p, prevOk));
        }
        return Optional.empty();
    }

    /** Line {@code p} has the right seq but its prev is not the hash of line {@code p-1}. */
    private Finding brokenLink(int p) {
        if (p == 0) {
            return finding(0, Kind.EDITED, "its prev is not the SHA-256 of the log's origin: it was changed, or the log"
                    + " was written for another origin");
        }
        if (p + 1 < lines.size()) {
            LineFacts next = lines.get(p + 1);
            if (next.decoded() && next.prev().equals(lines.get(p).sha256Hex())) {
                return finding(p - 1, Kind.EDITED, "its bytes no longer hash to the prev that line " + number(p) + " recorded");
            }
            return finding(p, Kind.EDITED, "its prev field was changed: it matches neither line " + number(p - 1)
                    + " nor does line " + number(p + 1) + " chain to it");
        }
        // The last line: an edited line p-1 and an edited prev in line p look the same from the
        // chain. Only a checkpoint of exactly p lines can tell them apart.
        Optional<Boolean> sealedBefore = rootMatchesAtSize.apply(p);
        if (sealedBefore.isPresent() && sealedBefore.get()) {
            return finding(p, Kind.EDITED, "its prev field was changed: line " + number(p - 1)
                    + " still matches the checkpoint of " + p + " lines");
        }
        return finding(p - 1, Kind.EDITED, "its bytes do not hash to the prev recorded by line " + number(p)
                + (sealedBefore.isPresent() ? "" : " (or line " + number(p) + "'s prev was changed: the log's last line has"
                        + " no successor to tell which)"));
    }

    /** Line {@code p} has the wrong seq. */
    private Finding misplaced(int p, boolean prevOk) {
        LineFacts line = lines.get(p);
        long seq = line.seq();
        if (prevOk) {
            return finding(p, Kind.EDITED, "its seq was changed to " + seq + ": it chains to "
                    + (p == 0 ? "the origin" : "line " + number(p - 1)) + " so it belongs at seq " + p);
        }
        int copyOf = IntStream.range(0, lines.size())
                .filter(q -> q != p && lines.get(q).sha256Hex().equals(line.sha256Hex()))
                .findFirst().orElse(-1);
        if (copyOf >= 0) {
            return finding(p, Kind.DUPLICATED, "a byte-for-byte copy of line " + number(copyOf));
        }
        if (seq > p) {
            int expectedAt = indexOfSeq(p, p + 1);
            if (expectedAt >= 0 && chainsToSeq(line.prev(), seq - 1)) {
                return finding(p, Kind.REORDERED, "it has seq " + seq + "; the line with seq " + p + " is line "
                        + number(expectedAt));
            }
            if (chainsPast(p)) {
                return finding(p, Kind.INSERTED, "it has seq " + seq + " and does not chain, and line " + number(p + 1)
                        + " continues the chain without it");
            }
            return finding(p, Kind.DELETED, (seq - p == 1 ? "the line with seq " + p + " is" : "the " + (seq - p)
                    + " lines with seq " + p + " to " + (seq - 1) + " are") + " missing before it");
        }
        return finding(p, Kind.INSERTED, "it has seq " + seq + ", which line " + number(seq) + " already has, and is no copy of it");
    }

    /** Whether line {@code p+1} is the line that belongs at position {@code p}, as if line {@code p} were not there. */
    private boolean chainsPast(int p) {
        if (p + 1 >= lines.size()) {
            return false;
        }
        LineFacts next = lines.get(p + 1);
        return next.decoded() && next.seq() == p && prevFits(p, next.prev());
    }

    private boolean prevFits(int position, String prev) {
        if (position == 0) {
            return originHashHex == null || originHashHex.equals(prev);
        }
        return lines.get(position - 1).sha256Hex().equals(prev);
    }

    /** Whether {@code prev} is the hash of some line carrying seq {@code seq}: a line moved intact. */
    private boolean chainsToSeq(String prev, long seq) {
        if (seq < 0) {
            return originHashHex != null && originHashHex.equals(prev);
        }
        return lines.stream().anyMatch(l -> l.decoded() && l.seq() == seq && l.sha256Hex().equals(prev));
    }

    private int indexOfSeq(long seq, int from) {
        return IntStream.range(from, lines.size())
                .filter(i -> lines.get(i).decoded() && lines.get(i).seq() == seq)
                .findFirst().orElse(-1);
    }

    private static Finding finding(int index, Kind kind, String message) {
        return new Finding(index, kind, message);
    }

    /** 1-based line number of a 0-based index, as people and editors count lines. */
    private static long number(long index) {
        return index + 1;
    }
}
