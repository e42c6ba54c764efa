package org.sandboxrunner.capabilities;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The resource limits of a process as {@code /proc/PID/limits} shows them (proc(5)): a header, then
 * one row per resource, {@code "%-25s %-20s %-20s %-10s"} of name, soft limit, hard limit and units
 * ({@code proc_pid_limits} in fs/proc/base.c). {@link #parse(String, String)} reads the text;
 * {@link #read(Path)} acquires it. Every resource must appear exactly once, with the units the
 * kernel gives it; an unknown row is an error, so nothing goes unchecked.
 */
public record ProcLimits(List<Row> rows) {
    private static final List<String> HEADER = List.of("Limit", "Soft", "Limit", "Hard", "Limit", "Units");

    /** One resource's limits. */
    public record Row(Rlimit resource, RlimitValue soft, RlimitValue hard) {
        public Row {
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(soft, "soft");
            Objects.requireNonNull(hard, "hard");
        }

        /** The row's name in the file, e.g. {@code Max open files}. */
        public String name() {
            return resource.rowName();
        }

        /** The row's units in the file, e.g. {@code files}; empty for the priorities. */
        public String units() {
            return resource.units();
        }
    }

    /** @param rows one row per {@link Rlimit}, in resource-number order */
    public ProcLimits {
        rows = List.copyOf(rows);
        if (rows.size() != Rlimit.values().length) {
            throw new IllegalArgumentException("expected " + Rlimit.values().length + " rows, one per resource, got " + rows.size());
        }
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).resource().number() != i) {
                throw new IllegalArgumentException("row " + i + " is " + rows.get(i).resource().resourceName()
                        + ", expected " + Rlimit.values()[i].resourceName() + ": rows go in resource-number order");
            }
        }
    }

    public Row get(Rlimit resource) {
        return rows.get(resource.number());
    }

    /** Reads and parses a limits file, e.g. {@code /proc/1234/limits}. */
    public static ProcLimits read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** The limits of the calling process, {@code /proc/self/limits}. */
    public static ProcLimits readSelf() throws IOException {
        return read(Path.of("/proc/self/limits"));
    }

    /**
     * @param source the file's name for messages, e.g. "/proc/1234/limits"
     * @throws ProcFormatException naming the source and line of the first problem
     */
    public static ProcLimits parse(String text, String source) {
        String[] lines = text.split("\n");
        if (lines.length == 0 || !Arrays.asList(lines[0].strip().split(" +")).equals(HEADER)) {
            throw new ProcFormatException(source + " line 1: expected the header \"Limit Soft Limit Hard Limit Units\"");
        }
        Row[] byResource = new Row[Rlimit.values().length];
        for (int i = 1; i < lines.length; i++) {
            Row row = row(lines[i], source + " line " + (i + 1));
            if (byResource[row.resource().number()] != null) {
                throw new ProcFormatException(source + " line " + (i + 1) + ": " + row.name() + " appears twice");
            }
            byResource[row.resource().number()] = row;
        }
        List<Row> rows = new ArrayList<>();
        for (Rlimit resource : Rlimit.values()) {
            if (byResource[resource.number()] == null) {
                throw new ProcFormatException(source + ": the row \"" + resource.rowName() + "\" is missing");
            }
            rows.add(byResource[resource.number()]);
        }
        return new ProcLimits(rows);
    }

    private static Row row(String line, String where) {
        Rlimit resource = Arrays.stream(Rlimit.values())
                .filter(r -> line.startsWith(r.rowName() + " "))
                .findFirst()
                .orElseThrow(() -> new ProcFormatException(where + ": unknown limit row \"" + line.strip() + "\""));
        String[] columns = line.substring(resource.rowName().length()).strip().split(" +");
        String units = columns.length == 3 ? columns[2] : "";
        if (columns.length < 2 || columns.length > 3 || !units.equals(resource.units())) {
            throw new ProcFormatException(where + " (" + resource.rowName() + "): expected soft limit, hard limit"
                    + (resource.units().isEmpty() ? " and no units" : " and units \"" + resource.units() + "\"")
                    + ", got \"" + line.substring(resource.rowName().length()).strip() + "\"");
        }
        try {
            return new Row(resource, RlimitValue.parse(columns[0]), RlimitValue.parse(columns[1]));
        } catch (IllegalArgumentException e) {
            throw new ProcFormatException(where + " (" + resource.rowName() + "): " + e.getMessage());
        }
    }
}
