package org.sandboxrunner.core.batch;

import java.util.List;
import java.util.Map;

/**
 * One line of a jobs file as written (JSON Lines), before validation. Kept apart from
 * {@link BatchJob}: these names are the file format; {@link JobLines} checks every value.
 *
 * <pre>{"id": "a1", "profile": "default", "command": ["python3", "main.py"], "workdir": "/srv/a1",
 *  "stdin": "/srv/a1/in.txt", "stdout": "/srv/a1/out.txt", "stderr": "/srv/a1/err.txt",
 *  "limits": {"cpuTimeMs": 2000, "wallTimeMs": 5000, "memoryBytes": 268435456, "pids": 16, "outputBytes": 1048576},
 *  "env": {"LANG": "C.UTF-8"}}</pre>
 */
record JobWire(String id, String profile, List<String> command, String workdir, String stdin, String stdout,
        String stderr, LimitsWire limits, Map<String, String> env) {

    /** Each limit present replaces the profile's; absent ones keep it. */
    record LimitsWire(Long cpuTimeMs, Long wallTimeMs, Long memoryBytes, Long pids, Long outputBytes) {}
}
