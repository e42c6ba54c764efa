package org.sandboxrunner.core.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads, writes, creates and removes cgroupfs entries, turning every failure into a
 * {@link CgroupException} that names the path, what was attempted and the kernel's error text.
 */
final class CgroupFiles {
    private CgroupFiles() {}

    /** How a limit file's read-back is compared with the value written. */
    enum ReadBack {
        /** The first line equals the value. */
        EXACT,
        /** Both are cpuset lists naming the same ids ("0-1" reads back for "0,1"). */
        CPU_LIST,
        /** Weight files print "default N" (v2 io.weight, io.bfq.weight) or just "N" (v1). */
        DEFAULT_WEIGHT
    }

    static String read(Path file) throws CgroupException {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new CgroupException("cannot read " + file + ": " + reason(e), e);
        }
    }

    /** Writes the value in one write(2), as cgroupfs parses each write on its own. */
    static void write(Path file, String value) throws CgroupException {
        try {
            Files.write(file, value.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new CgroupException("cannot write '" + value + "' to " + file + ": " + reason(e), e);
        }
    }

    /** Writes a limit and reads it back: the kernel clamps or rounds some values silently. */
    static void writeVerified(Path file, String value, ReadBack readBack) throws CgroupException {
        write(file, value);
        String actual = firstLine(read(file));
        boolean same = switch (readBack) {
            case EXACT -> actual.equals(value);
            case CPU_LIST -> CpuSetList.parse(actual).equals(CpuSetList.parse(value));
            case DEFAULT_WEIGHT -> actual.equals(value) || actual.equals("default " + value);
        };
        if (!same) {
            throw new CgroupException("read back " + file + ": wrote '" + value + "', the kernel reports '" + actual + "'");
        }
    }

    static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).strip();
    }

    /** The space-separated words of a file such as cgroup.controllers, in order. */
    static Set<String> words(String text) {
        return Arrays.stream(text.strip().split("\\s+")).filter(w -> !w.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    static long readLong(Path file) throws CgroupException {
        String text = read(file).strip();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new CgroupException(file + ": not a number: '" + text + "'", e);
        }
    }

    /** The pids listed in a cgroup.procs file. */
    static List<Long> pids(Path procsFile) throws CgroupException {
        List<Long> pids = new ArrayList<>();
        for (String line : read(procsFile).split("\n")) {
            if (!line.isBlank()) {
                try {
                    pids.add(Long.parseLong(line.strip()));
                } catch (NumberFormatException e) {
                    throw new CgroupException(procsFile + ": not a pid: '" + line + "'", e);
                }
            }
        }
        return pids;
    }

    /** Creates a directory that must not exist yet (a run's leaf). */
    static void mkdir(Path dir) throws CgroupException {
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new CgroupException("cannot create cgroup " + dir + ": " + reason(e), e);
        }
    }

    /**
     * Creates a directory other runners may create at the same time; returns true when this call made
     * it. Looks first: the project parent exists on every run but the first, and a failed mkdir costs
     * two exceptions with their stack traces (four hierarchies on v1: eight per run).
     */
    static boolean mkdirShared(Path dir) throws CgroupException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            Files.createDirectory(dir);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new CgroupException("cannot create cgroup " + dir + ": " + reason(e), e);
        }
    }

    /** Removes a cgroup directory; a directory already gone counts as removed. */
    static void rmdir(Path dir) throws CgroupException {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new CgroupException("cannot remove cgroup " + dir + ": " + reason(e), e);
        }
    }

    /** The names of the sub-cgroups of a directory; none when the directory does not exist. */
    static List<String> children(Path dir) throws CgroupException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new CgroupException("cannot list " + dir + ": " + reason(e), e);
        }
    }

    /** The kernel's error text (strerror) carried by a JDK exception. */
    static String reason(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "File exists";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "Directory not empty";
        }
        return e.getMessage();
    }
}
