package org.sandboxrunner.capabilities;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The security-relevant fields of {@code /proc/PID/status} (proc(5)): the five capability sets,
 * {@code NoNewPrivs}, {@code Seccomp} and {@code Seccomp_filters}, {@code Uid}, {@code Gid},
 * {@code Groups} and {@code Umask}. {@link #parse(String, String)} reads the text;
 * {@link #read(Path)} acquires it. Fields this class does not use are ignored, so newer kernels
 * can add lines; a field it uses that is missing, repeated or malformed is an error naming the line.
 * {@code Seccomp_filters} is optional because kernels before 5.9 do not print it.
 */
public record ProcStatus(
        CapabilitySets capabilities,
        boolean noNewPrivs,
        SeccompMode seccomp,
        OptionalInt seccompFilters,
        ProcessIds uids,
        ProcessIds gids,
        List<Long> groups,
        int umask) {

    public ProcStatus {
        Objects.requireNonNull(capabilities, "capabilities");
        Objects.requireNonNull(seccomp, "seccomp");
        Objects.requireNonNull(seccompFilters, "seccompFilters");
        Objects.requireNonNull(uids, "uids");
        Objects.requireNonNull(gids, "gids");
        groups = List.copyOf(groups);
        groups.forEach(gid -> ProcessIds.requireId(gid, "supplementary group"));
        if (umask < 0 || umask > 0777) {
            throw new IllegalArgumentException("umask " + Integer.toOctalString(umask) + " is outside 0..0777");
        }
    }

    /** Reads and parses a status file, e.g. {@code /proc/1234/status}. */
    public static ProcStatus read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** The status of the calling process, {@code /proc/self/status}. */
    public static ProcStatus readSelf() throws IOException {
        return read(Path.of("/proc/self/status"));
    }

    /**
     * @param source the file's name for messages, e.g. "/proc/1234/status"
     * @throws ProcFormatException naming the source, line and field of the first problem
     */
    public static ProcStatus parse(String text, String source) {
        Fields fields = new Fields(text, source);
        CapabilitySets sets = new CapabilitySets(
                fields.capabilitySet(CapabilitySetKind.BOUNDING),
                fields.capabilitySet(CapabilitySetKind.PERMITTED),
                fields.capabilitySet(CapabilitySetKind.EFFECTIVE),
                fields.capabilitySet(CapabilitySetKind.INHERITABLE),
                fields.capabilitySet(CapabilitySetKind.AMBIENT));
        return new ProcStatus(
                sets,
                fields.required("NoNewPrivs", ProcStatus::zeroOrOne),
                fields.required("Seccomp", ProcStatus::seccompMode),
                fields.optional("Seccomp_filters", Integer::parseUnsignedInt),
                fields.required("Uid", ProcStatus::ids),
                fields.required("Gid", ProcStatus::ids),
                fields.required("Groups", ProcStatus::groupList),
                fields.required("Umask", value -> {
                    if (!value.matches("[0-7]{4}")) {
                        throw new IllegalArgumentException("expected four octal digits, e.g. 0022");
                    }
                    return Integer.parseInt(value, 8);
                }));
    }

    private static boolean zeroOrOne(String value) {
        return switch (value) {
            case "0" -> false;
            case "1" -> true;
            default -> throw new IllegalArgumentException("expected 0 or 1");
        };
    }

    private static SeccompMode seccompMode(String value) {
        for (SeccompMode mode : SeccompMode.values()) {
            if (Integer.toString(mode.value()).equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("expected 0 (disabled), 1 (strict) or 2 (filter)");
    }

    private static ProcessIds ids(String value) {
        String[] ids = value.split("\t");
        if (ids.length != 4) {
            throw new IllegalArgumentException("expected four tab-separated ids: real, effective, saved, filesystem");
        }
        return new ProcessIds(Long.parseLong(ids[0]), Long.parseLong(ids[1]), Long.parseLong(ids[2]), Long.parseLong(ids[3]));
    }

    private static List<Long> groupList(String value) {
        List<Long> groups = new ArrayList<>();
        for (String gid : value.strip().split(" ")) {
            if (!gid.isEmpty()) {
                long id = Long.parseLong(gid);
                ProcessIds.requireId(id, "supplementary group");
                groups.add(id);
            }
        }
        return groups;
    }

    /** The "Name:\tvalue" lines of a status file, by name, each with its line number. */
    private static final class Fields {
        private record Line(int number, String value) {
        }

        private final String source;
        private final Map<String, Line> lines = new HashMap<>();

        Fields(String text, String source) {
            this.source = source;
            String[] rows = text.split("\n", -1);
            for (int i = 0; i < rows.length; i++) {
                String row = rows[i];
                if (row.isEmpty() && i == rows.length - 1) {
                    break;
                }
                int colon = row.indexOf(':');
                if (colon <= 0) {
                    throw new ProcFormatException(source + " line " + (i + 1) + ": expected \"Name:<tab>value\", got \"" + row + "\"");
                }
                String name = row.substring(0, colon);
                String value = row.substring(colon + 1);
                Line previous = lines.put(name, new Line(i + 1, value.startsWith("\t") ? value.substring(1) : value));
                if (previous != null) {
                    throw new ProcFormatException(source + " line " + (i + 1) + ": field " + name + " repeats line " + previous.number());
                }
            }
        }

        CapabilitySet capabilitySet(CapabilitySetKind kind) {
            return required(kind.statusField(), CapabilitySet::parseHex);
        }

        <T> T required(String name, Function<String, T> parser) {
            Line line = lines.get(name);
            if (line == null) {
                throw new ProcFormatException(source + ": field " + name + " is missing");
            }
            return parse(name, line, parser);
        }

        OptionalInt optional(String name, Function<String, Integer> parser) {
            Line line = lines.get(name);
            return line == null ? OptionalInt.empty() : OptionalInt.of(parse(name, line, parser));
        }

        private <T> T parse(String name, Line line, Function<String, T> parser) {
            try {
                return parser.apply(line.value());
            } catch (IllegalArgumentException e) {
                throw new ProcFormatException(source + " line " + line.number() + " (" + name + "): \"" + line.value()
                        + "\": " + e.getMessage());
            }
        }
    }
}
