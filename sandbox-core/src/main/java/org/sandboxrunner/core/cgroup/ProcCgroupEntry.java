package org.sandboxrunner.core.cgroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One line of {@code /proc/self/cgroup} (cgroups(7)): {@code hierarchy-ID:controller-list:path}.
 * On v2 the line is {@code 0::PATH}; on v1 each hierarchy has a line listing its controllers
 * (or {@code name=...} for a named hierarchy such as systemd's).
 *
 * @param hierarchyId 0 for the unified hierarchy
 * @param controllers the controllers bound to the hierarchy; empty for the v2 line
 * @param path        the process's cgroup, relative to the hierarchy's root (or to the cgroup
 *                    namespace root)
 */
record ProcCgroupEntry(int hierarchyId, List<String> controllers, String path) {

    ProcCgroupEntry {
        controllers = List.copyOf(controllers);
        Objects.requireNonNull(path, "path");
    }

    boolean isUnified() {
        return hierarchyId == 0 && controllers.isEmpty();
    }

    static List<ProcCgroupEntry> parseAll(String text) throws CgroupException {
        List<ProcCgroupEntry> entries = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            // The path may itself contain ':'; only the first two separate fields.
            String[] fields = lines[i].split(":", 3);
            if (fields.length != 3 || !fields[2].startsWith("/")) {
                throw new CgroupException("/proc/self/cgroup line " + (i + 1) + " is malformed: '" + lines[i] + "'");
            }
            int id;
            try {
                id = Integer.parseInt(fields[0]);
            } catch (NumberFormatException e) {
                throw new CgroupException("/proc/self/cgroup line " + (i + 1) + " has a bad hierarchy id: '" + lines[i] + "'", e);
            }
            List<String> controllers = fields[1].isEmpty() ? List.of() : List.of(fields[1].split(","));
            entries.add(new ProcCgroupEntry(id, controllers, fields[2]));
        }
        return entries;
    }
}
