package org.sandboxrunner.tests.escape;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Runs a hostile program directly on the host, without the sandbox, to show that the attempt itself
 * works. By default as root in the host's namespaces; {@link #as} switches to another uid with
 * setpriv(1) first, {@link #unshare} puts it in new namespaces with unshare(1) so that an attempt
 * that changes what it reaches (a mount, an address) changes only a namespace of its own. Outside runs
 * never touch the witness's canary, files or listeners.
 */
final class Outside {
    private static final long TIMEOUT_SECONDS = 30;

    private final HostilePrograms programs;
    private final Path scratch;
    private final List<Process> started;
    private final OptionalLong uid;
    private final List<String> unshare;
    private final Optional<Path> cwd;
    private final Optional<Path> stdin;
    private final Optional<Path> heldOpen;

    Outside(HostilePrograms programs, Path scratch, List<Process> started) {
        this(programs, scratch, started, OptionalLong.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private Outside(HostilePrograms programs, Path scratch, List<Process> started, OptionalLong uid, List<String> unshare,
            Optional<Path> cwd, Optional<Path> stdin, Optional<Path> heldOpen) {
        this.programs = programs;
        this.scratch = scratch;
        this.started = started;
        this.uid = uid;
        this.unshare = List.copyOf(unshare);
        this.cwd = cwd;
        this.stdin = stdin;
        this.heldOpen = heldOpen;
    }

    /** Runs as this uid (and the same gid), with no supplementary groups and so no capabilities. */
    Outside as(long id) {
        return new Outside(programs, scratch, started, OptionalLong.of(id), unshare, cwd, stdin, heldOpen);
    }

    /** Runs in new namespaces, e.g. {@code "--mount"}, {@code "--net"}. */
    Outside unshare(String... flags) {
        return new Outside(programs, scratch, started, uid, List.of(flags), cwd, stdin, heldOpen);
    }

    Outside in(Path dir) {
        return new Outside(programs, scratch, started, uid, unshare, Optional.of(dir), stdin, heldOpen);
    }

    Outside stdin(Path file) {
        return new Outside(programs, scratch, started, uid, unshare, cwd, Optional.of(file), heldOpen);
    }

    /** Starts the program with descriptor 7 open on this directory, as a careless runtime would. */
    Outside holdingOpen(Path dir) {
        return new Outside(programs, scratch, started, uid, unshare, cwd, stdin, Optional.of(dir));
    }

    /** Runs a staged program by name. */
    Outcome run(String program, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(programs.host(program).toString());
        cmd.addAll(List.of(args));
        return command(cmd);
    }

    Outcome command(List<String> program) {
        List<String> cmd = new ArrayList<>();
        if (!unshare.isEmpty()) {
            cmd.add("unshare");
            cmd.addAll(unshare);
            cmd.add("--");
        }
        if (uid.isPresent()) {
            String id = Long.toString(uid.getAsLong());
            cmd.addAll(List.of("setpriv", "--reuid=" + id, "--regid=" + id, "--clear-groups", "--"));
        }
        if (heldOpen.isPresent()) {
            cmd.addAll(List.of("/bin/sh", "-c", "exec 7<\"$0\"; exec \"$@\"", heldOpen.get().toString()));
        }
        cmd.addAll(program);
        try {
            Path out = Files.createTempFile(scratch, "outside", ".out");
            Path err = Files.createTempFile(scratch, "outside", ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(stdin.map(Path::toFile).orElse(new File("/dev/null"))));
            cwd.ifPresent(d -> pb.directory(d.toFile()));
            Process p = pb.start();
            started.add(p);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(cmd + " did not end within " + TIMEOUT_SECONDS + " s outside the sandbox");
            }
            return Outcome.outside(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd + " outside the sandbox", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Starts a helper process outside (a target or a publisher) and leaves it running. */
    Process start(List<String> program, Path dir) {
        try {
            Process p = new ProcessBuilder(program).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(dir.resolve("outside-" + started.size() + ".out").toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            started.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + program, e);
        }
    }
}
