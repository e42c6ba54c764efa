package org.sandboxrunner.tests.escape;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds processes of the host by a marker in their command line or name (comm: zombies keep it when
 * their command line is gone), scanning the host's /proc. A run's processes carry a marker so that any
 * survivor shows.
 */
public final class HostProcesses {
    private HostProcesses() {}

    /** "PID: command line" of every process carrying the marker; comm holds at most 15 bytes of it. */
    public static List<String> carrying(String marker) {
        String comm = marker.length() > 15 ? marker.substring(0, 15) : marker;
        List<String> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path p : entries.toList()) {
                String pid = p.getFileName().toString();
                if (!pid.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String cmdline = read(p.resolve("cmdline")).replace('\0', ' ').strip();
                String name = read(p.resolve("comm")).strip();
                if (cmdline.contains(marker) || name.equals(comm)) {
                    found.add(pid + ": " + (cmdline.isEmpty() ? "[" + name + "]" : cmdline));
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc: " + e, e);
        }
        return found;
    }

    /** Kills every process carrying the marker (a test's own leftovers, after a failure). */
    public static void killCarrying(String marker) {
        for (String p : carrying(marker)) {
            ProcessHandle.of(Long.parseLong(p.substring(0, p.indexOf(':')))).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static String read(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return ""; // the process ended while we looked
        }
    }
}
