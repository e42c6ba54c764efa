package org.sandboxrunner.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Finds host processes by their exact command line (/proc/PID/cmdline), to prove a run left none behind. */
final class HostProcesses {
    private HostProcesses() {}

    /** Pids whose argv is exactly {@code argv}. */
    static List<Long> running(String... argv) throws IOException {
        byte[] wanted = (String.join("\0", argv) + "\0").getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.map(p -> p.getFileName().toString())
                    .filter(name -> name.chars().allMatch(Character::isDigit))
                    .filter(pid -> Arrays.equals(cmdline(pid), wanted))
                    .map(Long::valueOf).toList();
        }
    }

    private static byte[] cmdline(String pid) {
        try {
            return Files.readAllBytes(Path.of("/proc", pid, "cmdline"));
        } catch (IOException e) {
            return new byte[0]; // it ended while we looked
        }
    }

    /** Waits up to {@code millis} for no process with this argv to be left; returns those still there. */
    static List<Long> awaitGone(long millis, String... argv) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        List<Long> left = running(argv);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
            left = running(argv);
        }
        return left;
    }
}
