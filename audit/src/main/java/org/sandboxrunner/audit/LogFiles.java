package org.sandboxrunner.audit;

import java.nio.file.Path;

/**
 * The files of one log. A log is named by its JSON Lines file; the others sit beside it:
 * {@code FILE.checkpoints} (append-only history of signed checkpoints, one JSON line each),
 * {@code FILE.checkpoint} (the latest signed note, replaced atomically), {@code FILE.tree} (the
 * writer's Merkle state, so a restart reads only the lines written since), {@code FILE.lock} (the
 * fcntl lock that serialises writer processes) and {@code FILE.torn} (torn tails moved aside).
 *
 * @param log the JSON Lines file, absolute and normalised
 */
public record LogFiles(Path log) {

    public LogFiles {
        log = log.toAbsolutePath().normalize();
        if (log.getFileName() == null) {
            throw new IllegalArgumentException("log path " + log + " names no file");
        }
    }

    public Path checkpointHistory() {
        return sibling(".checkpoints");
    }

    public Path latestCheckpoint() {
        return sibling(".checkpoint");
    }

    public Path treeState() {
        return sibling(".tree");
    }

    public Path lock() {
        return sibling(".lock");
    }

    public Path tornTails() {
        return sibling(".torn");
    }

    private Path sibling(String suffix) {
        return log.resolveSibling(log.getFileName() + suffix);
    }
}
