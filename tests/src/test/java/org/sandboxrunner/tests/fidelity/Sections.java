package org.sandboxrunner.tests.fidelity;

import java.util.ArrayList;
import java.util.List;

/**
 * The output of a workload that marks its parts with {@code ==> NAME} lines (the property test's
 * script and the probe both do), split into those parts in order. A name may repeat: the probe
 * prints one set of parts per generation.
 */
record Sections(List<Section> parts) {
    private static final String MARK = "==> ";

    /** One part: the marker line's name, the rest of that line, and the lines up to the next marker. */
    record Section(String name, String argument, String body) {}

    Sections {
        parts = List.copyOf(parts);
    }

    static Sections parse(String output) {
        List<Section> parts = new ArrayList<>();
        String name = null, argument = "";
        StringBuilder body = new StringBuilder();
        for (String line : output.lines().toList()) {
            if (line.startsWith(MARK)) {
                if (name != null) {
                    parts.add(new Section(name, argument, body.toString()));
                }
                String[] words = line.substring(MARK.length()).split(" ", 2);
                name = words[0];
                argument = words.length > 1 ? words[1] : "";
                body.setLength(0);
            } else if (name != null) {
                body.append(line).append('\n');
            } else if (!line.isEmpty()) {
                throw new IllegalArgumentException("output before the first marker: '" + line + "' in\n" + output);
            }
        }
        if (name != null) {
            parts.add(new Section(name, argument, body.toString()));
        }
        return new Sections(parts);
    }

    /** The body of the only part with this name. */
    String only(String name) {
        List<Section> found = parts.stream().filter(s -> s.name().equals(name)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one part '" + name + "', found " + found.size() + " in " + parts);
        }
        return found.get(0).body();
    }

    /** The parts after each {@code ==> generation} marker up to the next one, one {@code Sections} each. */
    List<Sections> generations() {
        List<List<Section>> out = new ArrayList<>();
        for (Section s : parts) {
            if (s.name().equals("generation")) {
                out.add(new ArrayList<>());
            } else if (out.isEmpty()) {
                throw new AssertionError("part '" + s.name() + "' before the first generation");
            } else {
                out.get(out.size() - 1).add(s);
            }
        }
        return out.stream().map(Sections::new).toList();
    }
}
