package org.sandboxrunner.seccomp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.policy.SeccompAction;
import org.sandboxrunner.policy.SeccompSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sandboxrunner.seccomp.Specs.allow;
import static org.sandboxrunner.seccomp.Specs.errno;
import static org.sandboxrunner.seccomp.Specs.spec;

/**
 * The on-disk store of compiled programs, with the real libseccomp: a stored program is the one a
 * fresh compile gives, and anything the runner did not write whole, or that someone else could have
 * changed, is refused and compiled again. Stores live under /run (root's, mode 0755), not under the
 * checkout: the store refuses any below a world-writable directory, and a clone may sit under /tmp.
 */
class ProgramCacheTest {
    private static final String PROFILE = "5f".repeat(32);
    private static final int RUNNER = 0;
    private static final int SOMEONE_ELSE = 65534;
    /** Skipped names, three architectures, an errno rule: every field of a record is exercised. */
    private static final SeccompSpec SPEC = spec(SeccompAction.SCMP_ACT_ERRNO, OptionalInt.of(38),
            List.of("SCMP_ARCH_X86", "SCMP_ARCH_X32"), allow(List.of("read", "write", "exit_group", "no_such_call_in_any_abi")),
            errno(13, "openat"));
    private static SeccompCompiler compiler;

    private Path parent;
    private Path store;
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void bind() {
        compiler = SeccompCompiler.create();
    }

    @BeforeEach
    void freshStore() throws IOException {
        parent = Files.createTempDirectory(Path.of("/run"), "program-cache-test");
        store = parent.resolve("programs");
    }

    @AfterEach
    void removeStore() throws IOException {
        try (Stream<Path> files = Files.walk(parent)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private ProgramCache cache() {
        return new ProgramCache(compiler, store, RUNNER, warnings::add);
    }

    private Path storedFile() throws IOException {
        try (Stream<Path> files = Files.list(store)) {
            List<Path> programs = files.filter(p -> p.toString().endsWith(ProgramCache.SUFFIX)).toList();
            assertEquals(1, programs.size(), programs.toString());
            return programs.get(0);
        }
    }

    private static void assertSameFilter(CompiledFilter expected, CompiledFilter actual) {
        assertArrayEquals(expected.bytes(), actual.bytes());
        assertEquals(expected.pfc(), actual.pfc());
        assertEquals(expected.skippedSyscalls(), actual.skippedSyscalls());
        assertEquals(expected.usesNotify(), actual.usesNotify());
        assertEquals(expected.loadFlags(), actual.loadFlags());
        assertEquals(expected.architectures(), actual.architectures());
        assertEquals(expected.libseccompVersion(), actual.libseccompVersion());
    }

    @Test
    void aStoredProgramIsTheOneAFreshCompileGives() throws IOException {
        ProgramCache.Result first = cache().compile(SPEC, PROFILE);
        assertEquals(ProgramCache.Source.COMPILED, first.source());
        // A new cache object stands for the next runner process.
        ProgramCache.Result second = cache().compile(SPEC, PROFILE);
        assertEquals(ProgramCache.Source.CACHE, second.source());
        CompiledFilter fresh = compiler.compile(SPEC);
        assertSameFilter(fresh, first.filter());
        assertSameFilter(fresh, second.filter());
        assertEquals(List.of("no_such_call_in_any_abi"), second.filter().skippedSyscalls());
        assertEquals(List.of(), warnings);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(storedFile())));
    }

    @Test
    void anotherProfileHashIsAnotherEntry() throws IOException {
        cache().compile(SPEC, PROFILE);
        assertEquals(ProgramCache.Source.COMPILED, cache().compile(SPEC, "60".repeat(32)).source());
        try (Stream<Path> files = Files.list(store)) {
            assertEquals(2, files.count());
        }
        assertThrows(IllegalArgumentException.class, () -> cache().compile(SPEC, "not a hash"));
    }

    /** One refusal: the warning names the file and why, the section is compiled, and the entry is written again. */
    private void assertRefusedThenRewritten(String why) throws IOException {
        Path file = storedFile();
        ProgramCache.Result again = cache().compile(SPEC, PROFILE);
        assertEquals(ProgramCache.Source.COMPILED, again.source());
        assertSameFilter(compiler.compile(SPEC), again.filter());
        assertEquals(List.of("seccomp program cache: " + file + " refused (" + why + "); the section is compiled again"),
                warnings);
        warnings.clear();
        assertEquals(ProgramCache.Source.CACHE, cache().compile(SPEC, PROFILE).source());
        assertEquals(List.of(), warnings);
    }

    @Test
    void aFileWhoseContentChangedIsRefused() throws IOException {
        cache().compile(SPEC, PROFILE);
        Path file = storedFile();
        byte[] record = Files.readAllBytes(file);
        record[record.length / 3] ^= 0x01;
        Files.write(file, record);
        assertRefusedThenRewritten("its content does not match the SHA-256 stored with it");
    }

    @Test
    void aTruncatedFileIsRefused() throws IOException {
        cache().compile(SPEC, PROFILE);
        Path file = storedFile();
        byte[] record = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(record, record.length - 100));
        assertRefusedThenRewritten("its content does not match the SHA-256 stored with it");
        Files.write(storedFile(), new byte[10]);
        assertRefusedThenRewritten("it is 10 bytes long, too short for a record");
    }

    @Test
    void aWholeRecordOfAnotherKeyIsRefused() throws IOException {
        cache().compile(SPEC, "60".repeat(32));
        Path other = storedFile();
        String otherKey = other.getFileName().toString().replace(ProgramCache.SUFFIX, "");
        cache().compile(SPEC, PROFILE);
        Path mine;
        try (Stream<Path> files = Files.list(store)) {
            mine = files.filter(p -> !p.equals(other)).findFirst().orElseThrow();
        }
        Files.copy(other, mine, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.delete(other);
        assertRefusedThenRewritten("it was stored under key " + otherKey);
    }

    @Test
    void aFileOwnedBySomeoneElseIsRefused() throws IOException {
        cache().compile(SPEC, PROFILE);
        Path file = storedFile();
        Files.setAttribute(file, "unix:uid", SOMEONE_ELSE);
        assertRefusedThenRewritten(file + " is owned by uid " + SOMEONE_ELSE + ", not by the runner's uid " + RUNNER);
    }

    @Test
    void aFileOthersMayWriteIsRefused() throws IOException {
        cache().compile(SPEC, PROFILE);
        Path file = storedFile();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw--w----"));
        assertRefusedThenRewritten(file + " is writable by its group or others (mode 620)");
    }

    @Test
    void aSymbolicLinkIsRefused() throws IOException {
        cache().compile(SPEC, PROFILE);
        Path file = storedFile();
        Path elsewhere = Files.move(file, parent.resolve("elsewhere"));
        Files.createSymbolicLink(file, elsewhere);
        assertRefusedThenRewritten(file + " is not a regular file");
    }

    /** The store is not used at all: nothing read, nothing written, one warning per compile. */
    private void assertNotUsed(String why) throws IOException {
        ProgramCache.Result result = cache().compile(SPEC, PROFILE);
        assertEquals(ProgramCache.Source.COMPILED, result.source());
        assertSameFilter(compiler.compile(SPEC), result.filter());
        assertEquals(List.of("seccomp program cache " + store.toRealPath() + ": not used: " + why), warnings);
        try (Stream<Path> files = Files.list(store)) {
            assertEquals(0, files.count(), "nothing is written into a store that is not used");
        }
    }

    @Test
    void aStoreOwnedBySomeoneElseIsNotUsed() throws IOException {
        Files.createDirectory(store);
        Files.setAttribute(store, "unix:uid", SOMEONE_ELSE);
        assertNotUsed(store + " is owned by uid " + SOMEONE_ELSE + ", not by the runner's uid " + RUNNER);
    }

    @Test
    void aStoreOthersMayWriteIsNotUsed() throws IOException {
        Files.createDirectory(store);
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertNotUsed(store + " is writable by its group or others (mode 777)");
    }

    @Test
    void aStoreUnderAWorldWritableDirectoryIsNotUsed() throws IOException {
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.createDirectory(store, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertNotUsed(parent + " is writable by its group or others (mode 777)");
    }

    @Test
    void aStoreUnderTmpIsNotUsed(@TempDir Path tmp) throws IOException {
        store = Files.createDirectory(tmp.resolve("programs"));
        assertTrue(store.startsWith(Path.of(System.getProperty("java.io.tmpdir"))), store.toString());
        ProgramCache.Result result = cache().compile(SPEC, PROFILE);
        assertEquals(ProgramCache.Source.COMPILED, result.source());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("is writable by its group or others (mode 1777)"), warnings.get(0));
    }

    @Test
    void aLinkToTheStoreIsCheckedWhereItLeads() throws IOException {
        Path real = Files.createDirectory(parent.resolve("real"));
        Files.setAttribute(real, "unix:uid", SOMEONE_ELSE);
        Files.createSymbolicLink(store, real);
        assertNotUsed(real + " is owned by uid " + SOMEONE_ELSE + ", not by the runner's uid " + RUNNER);
    }

    @Test
    void concurrentWritersLeaveOneWholeRecordAndNoTemporaryFiles() throws Exception {
        int writers = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<ProgramCache.Result>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                Callable<ProgramCache.Result> task = () -> {
                    start.await();
                    return cache().compile(SPEC, PROFILE);
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            CompiledFilter fresh = compiler.compile(SPEC);
            for (Future<ProgramCache.Result> result : results) {
                assertSameFilter(fresh, result.get().filter());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), warnings);
        try (Stream<Path> files = Files.list(store)) {
            assertEquals(List.of(storedFile()), files.toList(), "no temporary file is left behind");
        }
        assertEquals(ProgramCache.Source.CACHE, cache().compile(SPEC, PROFILE).source());
    }

    @Test
    void theStoreKeepsTheMostRecentlyWrittenPrograms() throws IOException {
        Files.createDirectory(store);
        for (int i = 0; i < ProgramCache.MAX_ENTRIES + 5; i++) {
            Path old = Files.write(store.resolve(String.format("%064x", i) + ProgramCache.SUFFIX), new byte[] {1});
            Files.setLastModifiedTime(old, FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        cache().compile(SPEC, PROFILE);
        List<String> left;
        try (Stream<Path> files = Files.list(store)) {
            left = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(ProgramCache.MAX_ENTRIES, left.size());
        assertFalse(left.contains(String.format("%064x", 5) + ProgramCache.SUFFIX), "the oldest six are gone");
        assertTrue(left.contains(String.format("%064x", 6) + ProgramCache.SUFFIX));
        assertEquals(ProgramCache.Source.CACHE, cache().compile(SPEC, PROFILE).source(), "the new one is kept");
    }

    @Test
    void theKeyChangesWithEveryInputThatDecidesTheProgram() {
        String identity = compiler.identity().orElseThrow();
        assertTrue(identity.startsWith("libseccomp 2."), identity);
        assertTrue(identity.contains("\nlibrary /"), identity);
        assertTrue(identity.contains("\ncompiler /"), identity);
        String key = ProgramCache.key(PROFILE, identity);
        assertEquals(key, ProgramCache.key(PROFILE, compiler.identity().orElseThrow()));
        assertFalse(key.equals(ProgramCache.key("60".repeat(32), identity)));
        assertFalse(key.equals(ProgramCache.key(PROFILE, identity.replace("libseccomp 2.", "libseccomp 3."))));
        assertFalse(key.equals(ProgramCache.key(PROFILE, identity + " ")));
    }
}
