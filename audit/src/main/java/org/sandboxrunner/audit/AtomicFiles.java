package org.sandboxrunner.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Durable file writes: whole-file replacement by temp file, fsync and rename (rename(2) is atomic
 * within a directory, so readers see the old or the new file, never a mix), appends followed by
 * fsync, and an fsync of the directory so a new name survives a crash (fsync(2): syncing a file
 * does not sync its directory entry).
 */
final class AtomicFiles {

    /** Files of a log: the owner writes, the group (auditors) reads. */
    static final FileAttribute<Set<PosixFilePermission>> LOG_PERMISSIONS =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----"));

    private AtomicFiles() {
    }

    /** The temp file {@link #replace} writes first; a leftover one is a crash's debris. */
    static Path tempFor(Path target) {
        return target.resolveSibling(target.getFileName() + ".tmp");
    }

    static void replace(Path target, byte[] content) throws IOException {
        Path temp = tempFor(target);
        try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), LOG_PERMISSIONS)) {
            writeFully(channel, content);
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(target.getParent());
    }

    static void append(Path target, byte[] content) throws IOException {
        boolean existed = Files.exists(target);
        try (FileChannel channel = FileChannel.open(target, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND), LOG_PERMISSIONS)) {
            writeFully(channel, content);
            channel.force(false);
        }
        if (!existed) {
            syncDirectory(target.getParent());
        }
    }

    static void writeFully(FileChannel channel, byte[] content) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
