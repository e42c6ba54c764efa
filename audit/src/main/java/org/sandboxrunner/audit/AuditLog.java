package org.sandboxrunner.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.sandboxrunner.audit.merkle.CompactRange;
import org.sandboxrunner.audit.merkle.MerkleHash;
import org.sandboxrunner.audit.note.Checkpoint;
import org.sandboxrunner.audit.note.NoteFormatException;
import org.sandboxrunner.audit.note.NoteSigner;
import org.sandboxrunner.audit.note.SignedNote;

/**
 * The writer of one append-only, hash-chained audit log with signed checkpoints.
 *
 * <p>Thread-safe: threads of one JVM share one instance (a second {@code open} of the same file in
 * the same JVM is refused). Processes are serialised by an exclusive fcntl lock on
 * {@code FILE.lock}, taken around every append and checkpoint; before writing, the holder reads the
 * lines other processes appended since its last turn, checks their chain and extends its Merkle
 * state, so lines from several processes are never interleaved and always chain.
 *
 * <p>Every line is written with one {@code write} of the whole line and its newline; a crash can
 * still leave part of a line (a torn tail), which the next writer handles as its
 * {@link TornTailPolicy} says.
 */
public final class AuditLog implements AutoCloseable {

    /** The type of the event that records a torn tail moved aside. */
    public static final String TORN_TAIL_EVENT = "audit.torn-tail";

    private static final Set<Path> OPEN_IN_THIS_JVM = ConcurrentHashMap.newKeySet();
    private static final HexFormat HEX = HexFormat.of();

    private final LogFiles files;
    private final AuditOptions options;
    private final Actor actor;
    private final FileChannel lockChannel;
    private final FileChannel logChannel;
    private final Path registryKey;
    private final Object mutex = new Object();

    private CompactRange tree;
    private long end;
    private long lastLineStart;
    private byte[] lastLineHash;
    private long eventsSinceCheckpoint;
    private long tornFileSize = -1;
    private Instant lastCheckpointTime;
    private boolean closed;

    private AuditLog(LogFiles files, Path registryKey, AuditOptions options, Actor actor, FileChannel lockChannel,
            FileChannel logChannel) {
        this.files = files;
        this.registryKey = registryKey;
        this.options = options;
        this.actor = actor;
        this.lockChannel = lockChannel;
        this.logChannel = logChannel;
    }

    /**
     * Opens (creating if needed) the log at {@code logFile}, whose directory must exist, and checks
     * it before anything is appended: the lines since the persisted Merkle state must chain, the
     * latest checkpoint must be for this origin and not cover more lines than the log has.
     *
     * @throws AuditLogCorruptException when the log must not be extended; the message says why
     * @throws IOException when a file cannot be read or written, or the log is already open in this JVM
     */
    public static AuditLog open(Path logFile, AuditOptions options) throws IOException {
        LogFiles files = new LogFiles(logFile);
        Path directory = files.log().getParent();
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "the audit log's directory does not exist");
        }
        Path key = directory.toRealPath().resolve(files.log().getFileName());
        if (!OPEN_IN_THIS_JVM.add(key)) {
            throw new IOException("audit log " + key + " is already open in this JVM; share that AuditLog instead");
        }
        FileChannel lockChannel = null;
        FileChannel logChannel = null;
        try {
            Actor actor = Actor.currentProcess(options.runnerVersion());
            lockChannel = FileChannel.open(files.lock(), Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    AtomicFiles.LOG_PERMISSIONS);
            boolean created = !Files.exists(files.log());
            logChannel = FileChannel.open(files.log(), Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND), AtomicFiles.LOG_PERMISSIONS);
            if (created) {
                AtomicFiles.syncDirectory(directory);
            }
            AuditLog log = new AuditLog(files, key, options, actor, lockChannel, logChannel);
            try (FileLock ignored = lockChannel.lock()) {
                log.recover();
            }
            return log;
        } catch (IOException | RuntimeException e) {
            closeQuietly(logChannel, e);
            closeQuietly(lockChannel, e);
            OPEN_IN_THIS_JVM.remove(key);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel channel, Exception failure) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }

    /** The log file. */
    public Path file() {
        return files.log();
    }

    /** Lines in the log as this writer last saw it. */
    public long size() {
        synchronized (mutex) {
            return tree.size();
        }
    }

    /**
     * Appends one event. On return the line is written, and with {@link FsyncPolicy#EVERY_EVENT}
     * on disk. May write a checkpoint when the cadence is due.
     *
     * @throws LineTooLongException when the line would exceed 64 KiB; nothing is written
     * @throws AuditLogCorruptException when lines another writer left do not chain
     */
    public void append(AuditEvent event) throws IOException {
        synchronized (mutex) {
            requireOpen();
            try (FileLock ignored = lockFile()) {
                catchUp();
                appendLocked(event);
                boolean due = eventsSinceCheckpoint >= options.checkpointEvents()
                        || !Duration.between(lastCheckpointTime, options.clock().instant()).minus(options.checkpointInterval()).isNegative();
                if (due) {
                    checkpointLocked();
                }
            }
        }
    }

    /**
     * Forces every line to disk, persists the Merkle state and, when a signing key is set and the
     * log has grown since the last checkpoint, signs and writes a checkpoint over all lines. The
     * pipeline calls this right after every run outcome.
     *
     * @return the latest signed checkpoint note, empty without a signing key or before the first line
     */
    public Optional<String> checkpoint() throws IOException {
        synchronized (mutex) {
            requireOpen();
            try (FileLock ignored = lockFile()) {
                catchUp();
                return checkpointLocked();
            }
        }
    }

    /** Seals what is unsealed (as {@link #checkpoint()}) and releases the files. Closing twice is harmless. */
    @Override
    public void close() throws IOException {
        synchronized (mutex) {
            if (closed) {
                return;
            }
            closed = true;
            try (FileChannel lock = lockChannel; FileChannel log = logChannel) {
                try (FileLock ignored = lock.lock()) {
                    catchUp();
                    checkpointLocked();
                }
            } finally {
                OPEN_IN_THIS_JVM.remove(registryKey);
            }
        }
    }

    private void requireOpen() throws IOException {
        if (closed) {
            throw new IOException("audit log " + files.log() + " is closed");
        }
    }

    private FileLock lockFile() throws IOException {
        try {
            return lockChannel.lock();
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException("the lock of " + files.lock() + " is already held in this JVM", e);
        }
    }

    /**
     * Runs once at open with the file lock held: removes crash debris, restores the Merkle state
     * (from {@code FILE.tree} when it matches the log, else by reading the log from the start),
     * reads the lines written since, and checks the latest checkpoint against the result.
     */
    private void recover() throws IOException {
        Files.deleteIfExists(AtomicFiles.tempFor(files.latestCheckpoint()));
        Files.deleteIfExists(AtomicFiles.tempFor(files.treeState()));
        quarantineHistoryTail();
        Optional<Checkpoint> latest = readLatestCheckpoint();
        if (latest.isPresent() && !latest.get().origin().equals(options.origin())) {
            throw corrupt("its latest checkpoint is for origin \"" + latest.get().origin() + "\", not \"" + options.origin() + "\"");
        }
        Optional<TreeState> state = readTreeState();
        if (state.isPresent()) {
            TreeState s = state.get();
            tree = s.tree.copy();
            end = s.end;
            lastLineStart = s.lastLineStart;
            lastLineHash = s.lastLineHash.clone();
        } else {
            tree = new CompactRange();
            end = 0;
            lastLineStart = 0;
            lastLineHash = originHash(options.origin());
        }
        Optional<byte[]> rootAtCheckpoint = catchUp(latest.map(Checkpoint::size).orElse(-1L));
        if (latest.isPresent()) {
            Checkpoint checkpoint = latest.get();
            if (checkpoint.size() > tree.size()) {
                throw corrupt("it has " + tree.size() + " lines but its latest checkpoint covers " + checkpoint.size()
                        + ": signed lines were removed");
            }
            if (rootAtCheckpoint.isPresent() && !checkpoint.hasRoot(rootAtCheckpoint.get())) {
                throw corrupt("its first " + checkpoint.size() + " lines do not have the Merkle root its latest checkpoint signed");
            }
        }
        lastCheckpointTime = options.clock().instant();
        eventsSinceCheckpoint = tree.size() - latest.map(Checkpoint::size).orElse(0L);
    }

    /**
     * The persisted state, if present and still describing this log: same origin, the file at least
     * as long, and the bytes before {@code end} ending in the line whose hash it recorded. A state
     * that does not match is ignored and the log is read from the start.
     */
    private Optional<TreeState> readTreeState() throws IOException {
        if (!Files.exists(files.treeState())) {
            return Optional.empty();
        }
        TreeState state;
        try {
            state = TreeState.fromJson(Files.readAllBytes(files.treeState()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!state.origin.equals(options.origin()) || state.end > logChannel.size()) {
            return Optional.empty();
        }
        if (state.tree.size() == 0) {
            return state.end == 0 ? Optional.of(state) : Optional.empty();
        }
        long length = state.end - state.lastLineStart;
        if (length > AuditLines.MAX_LINE_BYTES) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) length);
        try (FileChannel reader = FileChannel.open(files.log(), StandardOpenOption.READ)) {
            while (buffer.hasRemaining() && reader.read(buffer, state.lastLineStart + buffer.position()) >= 0) {
                // read until the buffer is full
            }
        }
        byte[] line = buffer.array();
        if (line.length == 0 || line[line.length - 1] != '\n'
                || (state.lastLineStart > 0 && precedingByte(state.lastLineStart) != '\n')) {
            return Optional.empty();
        }
        byte[] hash = MerkleHash.sha256().digest(Arrays.copyOf(line, line.length - 1));
        return MessageDigest.isEqual(hash, state.lastLineHash) ? Optional.of(state) : Optional.empty();
    }

    private int precedingByte(long offset) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        try (FileChannel reader = FileChannel.open(files.log(), StandardOpenOption.READ)) {
            return reader.read(one, offset - 1) == 1 ? one.get(0) : -1;
        }
    }

    private Optional<Checkpoint> readLatestCheckpoint() throws IOException {
        if (!Files.exists(files.latestCheckpoint())) {
            return Optional.empty();
        }
        try {
            SignedNote note = SignedNote.parse(Files.readAllBytes(files.latestCheckpoint()));
            return Optional.of(Checkpoint.parse(note.text()));
        } catch (NoteFormatException e) {
            throw corrupt("its latest checkpoint " + files.latestCheckpoint() + " is malformed: " + e.getMessage());
        }
    }

    private void catchUp() throws IOException {
        catchUp(-1);
    }

    /**
     * Reads the lines appended after {@code end} (by other processes, or before a crash), checks
     * that each continues the chain, and adds them to the Merkle state. A torn tail is handled as
     * the options say.
     *
     * @param rootSize a tree size whose root to return if it is reached while reading, or -1
     */
    private Optional<byte[]> catchUp(long rootSize) throws IOException {
        long fileSize = logChannel.size();
        if (fileSize < end) {
            throw corrupt("it shrank to " + fileSize + " bytes below its last known end at " + end
                    + ": something other than an AuditLog truncated it");
        }
        byte[][] root = {tree.size() == rootSize ? tree.root() : null};
        if (fileSize == end) {
            recordPendingTornTail();
            return Optional.ofNullable(root[0]);
        }
        JsonLines.End scanned = JsonLines.scan(files.log(), end, tree.size() + 1, line -> {
            long seq = line.number() - 1;
            if (line.bytes() == null) {
                throw corrupt("line " + line.number() + " at offset " + line.offset() + " is over the line limit");
            }
            AuditRecord record;
            try {
                record = AuditLines.decode(line.bytes());
            } catch (AuditFormatException e) {
                throw corrupt("line " + line.number() + " at offset " + line.offset() + " is not an audit line: " + e.getMessage());
            }
            String where = "line " + line.number() + " at offset " + line.offset();
            if (record.seq() != seq) {
                throw corrupt(where + " has seq " + record.seq() + ", expected " + seq);
            }
            if (!record.prev().equals(HEX.formatHex(lastLineHash))) {
                throw corrupt(where + ": its prev is not the SHA-256 of "
                        + (seq == 0 ? "the origin \"" + options.origin() + "\"" : "line " + seq));
            }
            tree.append(MerkleHash.leaf(line.bytes()));
            lastLineStart = line.offset();
            lastLineHash = line.sha256();
            end = line.offset() + line.length() + 1;
            if (tree.size() == rootSize) {
                root[0] = tree.root();
            }
        });
        if (scanned.tornTail().isPresent()) {
            quarantineLogTail(scanned.tornTail().get());
        }
        recordPendingTornTail();
        return Optional.ofNullable(root[0]);
    }

    /**
     * Moves a torn tail aside: first its copy into {@code FILE.torn}, then the truncation, then the
     * event. A writer killed between the last two leaves an entry without its event, which
     * {@link #recordPendingTornTail} adds on the next turn of any writer.
     */
    private void quarantineLogTail(JsonLines.TornTail torn) throws IOException {
        if (options.tornTail() == TornTailPolicy.REFUSE) {
            throw corrupt("line " + torn.number() + " at offset " + torn.offset() + " is torn: " + torn.length()
                    + " bytes without a newline (a writer died mid-line); verify the log and move them aside");
        }
        TornTails.Entry entry = quarantine(files.log(), torn);
        logChannel.truncate(torn.offset());
        logChannel.force(true);
        appendLocked(entry.event(files.tornTails()));
    }

    /**
     * Appends the event of the last tail moved aside from the log if its writer died before
     * appending it: the log then ends exactly where that tail began. Checked when {@code FILE.torn}
     * has changed since this writer last looked.
     */
    private void recordPendingTornTail() throws IOException {
        long size = Files.exists(files.tornTails()) ? Files.size(files.tornTails()) : 0;
        if (size == tornFileSize) {
            return;
        }
        List<TornTails.Entry> entries = TornTails.read(files.tornTails(), files.log());
        if (!entries.isEmpty()) {
            TornTails.Entry last = entries.get(entries.size() - 1);
            if (tree.size() == last.line() - 1 && end == last.offset()) {
                appendLocked(last.event(files.tornTails()));
            }
        }
        tornFileSize = size;
    }

    /**
     * A torn history line is a checkpoint whose write was cut short: it never became the latest, so
     * it is moved aside before the next history line is appended after it.
     */
    private void quarantineHistoryTail() throws IOException {
        if (!Files.exists(files.checkpointHistory())) {
            return;
        }
        try (FileChannel history = FileChannel.open(files.checkpointHistory(), StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            if (history.size() == 0 || (history.read(last, history.size() - 1) == 1 && last.get(0) == '\n')) {
                return;
            }
        }
        JsonLines.End scanned = JsonLines.scan(files.checkpointHistory(), 0, 1, line -> { });
        if (scanned.tornTail().isEmpty()) {
            return;
        }
        if (options.tornTail() == TornTailPolicy.REFUSE) {
            throw new AuditLogCorruptException("checkpoint history " + files.checkpointHistory() + " line "
                    + scanned.tornTail().get().number() + " is torn");
        }
        quarantine(files.checkpointHistory(), scanned.tornTail().get());
        try (FileChannel history = FileChannel.open(files.checkpointHistory(), StandardOpenOption.WRITE)) {
            history.truncate(scanned.end());
            history.force(true);
        }
    }

    /** Appends the torn bytes, with where they came from, to {@code FILE.torn}. */
    private TornTails.Entry quarantine(Path source, JsonLines.TornTail torn) throws IOException {
        if (torn.length() != torn.bytes().length) {
            throw corrupt("torn tail of " + source + " at offset " + torn.offset() + " is " + torn.length()
                    + " bytes, over the line limit; move it aside by hand");
        }
        TornTails.Entry entry = TornTails.Entry.of(source, torn);
        TornTails.append(files.tornTails(), entry);
        return entry;
    }

    private void appendLocked(AuditEvent event) throws IOException {
        Instant now = options.clock().instant().truncatedTo(ChronoUnit.MICROS);
        AuditRecord record = new AuditRecord(tree.size(), HEX.formatHex(lastLineHash), now, UUID.randomUUID().toString(),
                actor, event);
        byte[] line = AuditLines.encode(record);
        byte[] withNewline = Arrays.copyOf(line, line.length + 1);
        withNewline[line.length] = '\n';
        try {
            AtomicFiles.writeFully(logChannel, withNewline);
            if (options.fsync() == FsyncPolicy.EVERY_EVENT) {
                logChannel.force(false);
            }
        } catch (IOException e) {
            // Take back a partial line (for example on ENOSPC) so the log ends on a whole line.
            try {
                logChannel.truncate(end);
            } catch (IOException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
        tree.append(MerkleHash.leaf(line));
        lastLineStart = end;
        lastLineHash = MerkleHash.sha256().digest(line);
        end += withNewline.length;
        eventsSinceCheckpoint++;
        Optional<OutputStream> mirror = options.mirror();
        if (mirror.isPresent()) {
            mirror.get().write(withNewline);
            mirror.get().flush();
        }
    }

    /**
     * Order matters for crash safety: lines reach the disk before the checkpoint that seals them;
     * the history gets the checkpoint before it becomes the latest, so the latest is always in the
     * history; the Merkle state is saved last, and a stale one only means reading a few more lines.
     */
    private Optional<String> checkpointLocked() throws IOException {
        logChannel.force(false);
        Optional<String> note = Optional.empty();
        Optional<NoteSigner> signer = options.signer();
        if (signer.isPresent() && tree.size() > 0) {
            Optional<Checkpoint> latest = readLatestCheckpoint();
            if (latest.isPresent() && latest.get().size() == tree.size()) {
                note = Optional.of(Files.readString(files.latestCheckpoint(), StandardCharsets.UTF_8));
            } else {
                Checkpoint checkpoint = new Checkpoint(options.origin(), tree.size(), tree.root(), List.of());
                byte[] signed = SignedNote.sign(checkpoint.text(), signer.get()).encode();
                quarantineHistoryTail();
                CheckpointHistory.append(files.checkpointHistory(), signed);
                AtomicFiles.replace(files.latestCheckpoint(), signed);
                note = Optional.of(new String(signed, StandardCharsets.UTF_8));
            }
        }
        AtomicFiles.replace(files.treeState(), new TreeState(options.origin(), tree, end, lastLineStart, lastLineHash).toJson());
        eventsSinceCheckpoint = 0;
        lastCheckpointTime = options.clock().instant();
        return note;
    }

    private AuditLogCorruptException corrupt(String why) {
        return new AuditLogCorruptException("audit log " + files.log() + ": " + why);
    }

    /** Line 0's {@code prev}: SHA-256 of the origin's UTF-8 bytes, so a log cannot pass for another origin's. */
    static byte[] originHash(String origin) {
        return MerkleHash.sha256().digest(origin.getBytes(StandardCharsets.UTF_8));
    }
}
