package org.sandboxrunner.tests.escape;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.sandboxrunner.core.run.Bind;
import org.sandboxrunner.core.run.Input;
import org.sandboxrunner.core.run.LimitOverrides;
import org.sandboxrunner.core.run.Output;
import org.sandboxrunner.core.run.ResolvedProfile;
import org.sandboxrunner.core.run.RunRequest;
import org.sandboxrunner.policy.IdMapping;
import org.sandboxrunner.policy.Profile;
import org.sandboxrunner.tests.SandboxFixture;

/**
 * The bench of one escape test class (registered with {@code @RegisterExtension}): one Sandbox for the
 * class, its hostile programs compiled once, a {@link HostWitness} checked after every test, scratch
 * directories removed after every test, and every process a test started outside ended. Every run
 * inside sees the programs at /hostile and the witness's exposed directory at /host, both read-only.
 */
final class EscapeLab implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private final List<String> programNames;
    private final Map<String, ResolvedProfile> profiles = new ConcurrentHashMap<>();
    private final List<Path> testDirs = new CopyOnWriteArrayList<>();
    private final List<Process> started = new CopyOnWriteArrayList<>();
    private final List<String> markers = new CopyOnWriteArrayList<>();
    private final Map<String, Outcome> outsideOnce = new ConcurrentHashMap<>();
    private Path base;
    private SandboxFixture fixture;
    private HostilePrograms programs;
    private HostWitness witness;
    private long sandboxUid;
    private long sandboxGid;

    private EscapeLab(List<String> programNames) {
        this.programNames = List.copyOf(programNames);
    }

    /** A lab that stages these programs (file names under resources/hostile). */
    static EscapeLab with(String... programs) {
        return new EscapeLab(List.of(programs));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        base = Files.createTempDirectory("sandbox-escape-" + context.getRequiredTestClass().getSimpleName() + "-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Profile def = profile("default").profile();
        sandboxUid = toHost(def.linux().uidMappings(), def.process().user().uid());
        sandboxGid = toHost(def.linux().gidMappings(), def.process().user().gid());
        long otherUid = toHost(def.linux().uidMappings(), HostWitness.OTHER_CONTAINER_UID);
        programs = HostilePrograms.stage(base.resolve("bin"), programNames);
        witness = HostWitness.create(base, sandboxUid, sandboxGid, otherUid);
        fixture = new SandboxFixture();
    }

    private static long toHost(List<IdMapping> maps, long id) {
        return maps.stream().filter(m -> m.mapsContainerId(id)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the default profile does not map id " + id)).toHost(id);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            witness.assertUntouched();
        } finally {
            cleanUp();
        }
    }

    private void cleanUp() {
        started.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
        started.clear();
        markers.forEach(HostProcesses::killCarrying);
        markers.clear();
        testDirs.forEach(DirectoryTrees::delete);
        testDirs.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            cleanUp();
        } finally {
            if (fixture != null) {
                fixture.close();
            }
            if (witness != null) {
                witness.close();
            }
            DirectoryTrees.delete(base);
        }
    }

    ResolvedProfile profile(String name) {
        return profiles.computeIfAbsent(name, SandboxFixture::builtin);
    }

    HostWitness witness() {
        return witness;
    }

    HostilePrograms programs() {
        return programs;
    }

    /** The host uid and gid the sandbox's user (1000 in every built-in profile) runs as. */
    long sandboxUid() {
        return sandboxUid;
    }

    long sandboxGid() {
        return sandboxGid;
    }

    /** A fresh directory for this test (mode 0755), removed after it. */
    Path newDir(String name) {
        try {
            Path d = Files.createDirectory(base.resolve(name + "-" + UUID.randomUUID().toString().substring(0, 8)));
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
            testDirs.add(d);
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a scratch directory", e);
        }
    }

    /** A marker for this test's processes: any process still carrying it after the test is killed. */
    String newMarker() {
        String m = "esc" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        markers.add(m);
        return m;
    }

    /** A file (or directory) this test made outside its scratch directories, removed after it. */
    void removeAfter(Path p) {
        testDirs.add(p);
    }

    /**
     * Waits until {@code file} exists (a program running alongside says it is ready), failing early
     * if the program ended first.
     */
    static void awaitFile(Path file, Future<?> program) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!Files.exists(file)) {
            if (program.isDone()) {
                throw new AssertionError("ended before it made " + file + ": " + join(program));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(file + " did not appear within 20 s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** The result of a program started alongside the test. */
    static <T> T join(Future<T> program) {
        try {
            return program.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the program alongside failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the program alongside did not end within 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    Inside inside(String profile) {
        return new Inside(profile, Optional.empty(), LimitOverrides.none(), Optional.empty(), List.of());
    }

    Outside outside() {
        return new Outside(programs, newDir("outside"), started);
    }

    /**
     * An outside run whose outcome depends on neither the profile nor the test's scratch directories
     * (the program and its arguments are the key): made by the first test that asks, shared by the
     * others of the class.
     */
    Outcome outsideOnce(String program, String... args) {
        List<String> key = new ArrayList<>(List.of(program));
        key.addAll(List.of(args));
        return outsideOnce.computeIfAbsent(String.join(" ", key), k -> outside().run(program, args));
    }

    /** One run inside the sandbox, as the test wants it. */
    final class Inside {
        private final String profile;
        private final Optional<Path> workdir;
        private final LimitOverrides limits;
        private final Optional<Path> stdin;
        private final List<Bind> binds;

        private Inside(String profile, Optional<Path> workdir, LimitOverrides limits, Optional<Path> stdin, List<Bind> binds) {
            this.profile = profile;
            this.workdir = workdir;
            this.limits = limits;
            this.stdin = stdin;
            this.binds = binds;
        }

        /** The host directory bound read-write at /box; without one, /box is a tmpfs of the run. */
        Inside workdir(Path dir) {
            return new Inside(profile, Optional.of(dir), limits, stdin, binds);
        }

        Inside limits(LimitOverrides l) {
            return new Inside(profile, workdir, l, stdin, binds);
        }

        Inside stdin(Path file) {
            return new Inside(profile, workdir, limits, Optional.of(file), binds);
        }

        Inside bind(Bind b) {
            List<Bind> more = new ArrayList<>(binds);
            more.add(b);
            return new Inside(profile, workdir, limits, stdin, more);
        }

        /** Runs a staged program by name. */
        Outcome run(String program, String... args) {
            List<String> cmd = new ArrayList<>();
            cmd.add(programs.inside(program));
            cmd.addAll(List.of(args));
            return command(cmd);
        }

        Outcome command(List<String> cmd) {
            return Outcome.inside(profile, fixture.run(request(cmd)));
        }

        /** Starts a staged program in a sandbox of its own, alongside the test; join it with get(). */
        CompletableFuture<Outcome> start(String program, String... args) {
            List<String> cmd = new ArrayList<>();
            cmd.add(programs.inside(program));
            cmd.addAll(List.of(args));
            return startCommand(cmd);
        }

        /** Starts a command in a sandbox of its own, alongside the test; join it with get(). */
        CompletableFuture<Outcome> startCommand(List<String> cmd) {
            return CompletableFuture.supplyAsync(() -> command(cmd));
        }

        RunRequest request(List<String> cmd) {
            List<Bind> all = new ArrayList<>(List.of(programs.bind(), witness.exposedBind()));
            all.addAll(binds);
            RunRequest r = RunRequest.of(profile(profile), cmd).withBinds(all).withLimits(limits);
            if (stdin.isPresent()) {
                r = r.withStdio(Input.file(stdin.get()), Output.capture(), Output.capture());
            }
            return workdir.isPresent() ? r.withWorkdir(workdir.get()) : r;
        }
    }
}
