package org.sandboxrunner.core.cgroup;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A cgroup "flat keyed" file: one {@code key value} pair per line (cgroup-v2.rst "Interface Files",
 * e.g. {@code cpu.stat}, {@code memory.events}; v1 {@code memory.oom_control} has the same shape).
 */
record KeyedValues(Path file, Map<String, Long> values) {

    KeyedValues {
        values = Map.copyOf(values);
    }

    static KeyedValues parse(Path file, String text) throws CgroupException {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.strip().split("\\s+");
            if (parts.length != 2) {
                throw new CgroupException(file + ": line '" + line + "' is not 'key value'");
            }
            try {
                if (values.put(parts[0], Long.parseLong(parts[1])) != null) {
                    throw new CgroupException(file + ": key '" + parts[0] + "' appears twice");
                }
            } catch (NumberFormatException e) {
                throw new CgroupException(file + ": value of '" + parts[0] + "' is not a number: '" + parts[1] + "'", e);
            }
        }
        return new KeyedValues(file, values);
    }

    static KeyedValues read(Path file) throws CgroupException {
        return parse(file, CgroupFiles.read(file));
    }

    long require(String key) throws CgroupException {
        Long value = values.get(key);
        if (value == null) {
            throw new CgroupException(file + " has no '" + key + "' line (the kernel is too old for it)");
        }
        return value;
    }

    OptionalLong find(String key) {
        Long value = values.get(key);
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }
}
