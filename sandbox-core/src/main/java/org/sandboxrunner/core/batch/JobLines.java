package org.sandboxrunner.core.batch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.sandboxrunner.core.run.Input;
import org.sandboxrunner.core.run.LimitOverrides;
import org.sandboxrunner.core.run.Output;
import org.sandboxrunner.core.run.Profiles;
import org.sandboxrunner.core.run.ResolvedProfile;
import org.sandboxrunner.core.run.RunRequest;
import org.sandboxrunner.policy.ProfileException;

/**
 * Reads a jobs file (JSON Lines, one {@link JobWire} object per line) into validated jobs, and every
 * line it cannot take into a {@link BadLine} with its number and what is wrong. The mapper is strict:
 * unknown fields, duplicate keys, trailing tokens, nulls for numbers and coercions ("5" for 5, 1.5
 * for 1) are errors. Relative paths resolve against a base directory (the CLI's current directory,
 * as for {@code sandbox run}). Each profile named is loaded once.
 */
public final class JobLines {
    /** Longest line taken; a job is a few hundred bytes. */
    public static final int MAX_LINE_CHARS = 1 << 20;

    private static final ObjectReader READER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(8).maxStringLength(MAX_LINE_CHARS).maxNumberLength(40).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                    DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT, DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfigDefaults(config -> {
                for (CoercionInputShape shape : CoercionInputShape.values()) {
                    config.setCoercion(shape, CoercionAction.Fail);
                }
                config.setAcceptBlankAsEmpty(false);
            })
            .build()
            .readerFor(JobWire.class);

    /** A line that is not a job: its 1-based number and what is wrong with it. */
    public record BadLine(int number, String message) {
        /** {@code FILE:LINE: message}, as compilers say it. */
        public String format(String file) {
            return file + ":" + number + ": " + message;
        }
    }

    /** The jobs in file order, and the lines that are not jobs. */
    public record Parsed(List<BatchJob> jobs, List<BadLine> badLines) {
        public Parsed {
            jobs = List.copyOf(jobs);
            badLines = List.copyOf(badLines);
        }
    }

    private final Path base;
    private final Map<String, Object> loadedProfiles = new HashMap<>();
    private final Map<String, Integer> idLines = new HashMap<>();
    private final Map<Path, Integer> workdirLines = new HashMap<>();
    private final List<BatchJob> jobs = new ArrayList<>();
    private final List<BadLine> bad = new ArrayList<>();

    private JobLines(Path base) {
        this.base = base;
    }

    /**
     * Reads a whole jobs file.
     *
     * @param base where relative paths in the jobs resolve
     * @throws IOException when the file cannot be read or is not UTF-8 (nothing is returned then)
     */
    public static Parsed read(Path file, Path base) throws IOException {
        JobLines lines = new JobLines(base.toAbsolutePath());
        int number = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.accept(++number, line);
            }
        } catch (MalformedInputException e) {
            throw new IOException(file + ":" + (number + 1) + ": not UTF-8 text", e);
        }
        return lines.result();
    }

    /** Parses lines given as text, numbered from 1. */
    static Parsed parse(List<String> text, Path base) {
        JobLines lines = new JobLines(base);
        for (int i = 0; i < text.size(); i++) {
            lines.accept(i + 1, text.get(i));
        }
        return lines.result();
    }

    private Parsed result() {
        return new Parsed(jobs, bad);
    }

    private void accept(int number, String line) {
        try {
            jobs.add(job(number, wire(line)));
        } catch (IllegalArgumentException e) {
            bad.add(new BadLine(number, e.getMessage()));
        }
    }

    private static JobWire wire(String line) {
        if (line.isBlank()) {
            throw new IllegalArgumentException("empty line: each line must be one job");
        }
        if (line.length() > MAX_LINE_CHARS) {
            throw new IllegalArgumentException("line is " + line.length() + " characters long; at most " + MAX_LINE_CHARS);
        }
        try {
            return READER.readValue(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(describe(e));
        }
    }

    /** Jackson's error, said in the file's terms: which field, what was expected. */
    static String describe(JsonProcessingException e) {
        String column = "column " + e.getLocation().getColumnNr() + ": ";
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field '" + path(u) + "'";
        }
        if (e instanceof MismatchedInputException m) {
            if (m.getOriginalMessage().startsWith("Trailing token")) {
                return column + "more after the job's JSON object: one job per line";
            }
            String where = path(m);
            return (where.isEmpty() ? "a job" : "field '" + where + "'") + " must be " + expected(m.getTargetType());
        }
        if (e instanceof JsonMappingException m && m.getCause() instanceof InputCoercionException) {
            return "field '" + path(m) + "': number out of range";
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return "field '" + path(m) + "': " + m.getOriginalMessage();
        }
        return column + e.getOriginalMessage();
    }

    private static String path(JsonMappingException e) {
        StringBuilder s = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                s.append(s.length() == 0 ? "" : ".").append(r.getFieldName());
            } else {
                s.append('[').append(r.getIndex()).append(']');
            }
        }
        return s.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == Long.class) {
            return "a whole number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "an array of strings";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object whose values are strings";
        }
        return "a JSON object";
    }

    private BatchJob job(int number, JobWire w) {
        if (w.id() == null) {
            throw new IllegalArgumentException("id is required");
        }
        if (w.command() == null || w.command().isEmpty()) {
            throw new IllegalArgumentException("command is required: an array with the program and its arguments");
        }
        for (int i = 0; i < w.command().size(); i++) {
            if (w.command().get(i) == null) {
                throw new IllegalArgumentException("command[" + i + "] must be a string");
            }
        }
        ResolvedProfile profile = profile(w.profile() == null ? "default" : w.profile());
        Optional<Path> workdir = Optional.ofNullable(w.workdir()).map(JobLines.this::workdir);
        Input stdin = w.stdin() == null ? Input.empty() : Input.file(existingFile("stdin", w.stdin()));
        Output stdout = w.stdout() == null ? Output.discard() : Output.file(writableFile("stdout", w.stdout()));
        Output stderr = w.stderr() == null ? Output.discard() : Output.file(writableFile("stderr", w.stderr()));
        BatchJob job = new BatchJob(w.id(), new RunRequest(profile, w.command(), workdir, List.of(), env(w.env()), stdin,
                stdout, stderr, limits(w.limits())));
        // Only a valid line claims its id and work directory: a bad line skipped must not make a later good one a twin.
        Integer first = idLines.get(job.id());
        if (first != null) {
            throw new IllegalArgumentException("duplicate id '" + job.id() + "' (first on line " + first + ")");
        }
        Integer firstDir = workdir.map(workdirLines::get).orElse(null);
        if (firstDir != null) {
            // Each run lends its work directory to the sandbox's user and hands it back after; two
            // runs at once on one directory would take it from each other.
            throw new IllegalArgumentException("workdir " + workdir.get() + " is also the workdir of line " + firstDir
                    + ": jobs run in parallel, so each needs its own");
        }
        idLines.put(job.id(), number);
        workdir.ifPresent(d -> workdirLines.put(d, number));
        return job;
    }

    /** Loads each reference once; a reference that failed fails every line that names it, with the same message. */
    private ResolvedProfile profile(String reference) {
        Object loaded = loadedProfiles.computeIfAbsent(reference, r -> {
            try {
                return Profiles.load(r);
            } catch (ProfileException e) {
                return "profile '" + r + "': " + e.getMessage();
            }
        });
        if (loaded instanceof String error) {
            throw new IllegalArgumentException(error);
        }
        return (ResolvedProfile) loaded;
    }

    private Path workdir(String text) {
        Path dir = resolve("workdir", text);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("workdir " + dir + " is not a directory");
        }
        return dir;
    }

    private Path existingFile(String field, String text) {
        Path file = resolve(field, text);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(field + " " + file + " is not a file");
        }
        return file;
    }

    private Path writableFile(String field, String text) {
        Path file = resolve(field, text);
        if (file.getParent() == null || !Files.isDirectory(file.getParent())) {
            throw new IllegalArgumentException(field + " " + file + ": its directory does not exist");
        }
        return file;
    }

    private Path resolve(String field, String text) {
        if (text.isEmpty() || text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(field + " must be a path, got '" + text.replace("\0", "\\0") + "'");
        }
        return base.resolve(text).normalize();
    }

    private static List<String> env(Map<String, String> env) {
        if (env == null) {
            return List.of();
        }
        env.forEach((k, v) -> {
            if (k.isEmpty() || k.indexOf('=') >= 0 || k.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("env: '" + k + "' is not a variable name (no '=', not empty)");
            }
            if (v == null) {
                throw new IllegalArgumentException("env." + k + " must be a string");
            }
        });
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.toList());
    }

    private static LimitOverrides limits(JobWire.LimitsWire l) {
        if (l == null) {
            return LimitOverrides.none();
        }
        try {
            return new LimitOverrides(opt(l.cpuTimeMs()), opt(l.wallTimeMs()), opt(l.memoryBytes()), opt(l.pids()),
                    opt(l.outputBytes()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("limits: " + e.getMessage(), e);
        }
    }

    private static OptionalLong opt(Long v) {
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }
}
