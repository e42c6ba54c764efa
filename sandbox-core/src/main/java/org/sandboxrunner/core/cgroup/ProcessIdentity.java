package org.sandboxrunner.core.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process named so that pid reuse cannot fool a check: its pid and its start time in clock ticks
 * after boot ({@code /proc/PID/stat} field 22, proc(5)). A new process with the same pid has a
 * later start time.
 */
record ProcessIdentity(long pid, long startTime) {

    ProcessIdentity {
        if (pid <= 0 || startTime < 0) {
            throw new IllegalArgumentException("bad process identity " + pid + "/" + startTime);
        }
    }

    /** The process reading /proc/self, i.e. this runner. */
    static ProcessIdentity self(HostView host) throws CgroupException {
        return parseStat(host.path("/proc/self/stat"), host.read("/proc/self/stat"));
    }

    /** The process that has this pid now, if any. */
    static Optional<ProcessIdentity> of(HostView host, long pid) throws CgroupException {
        Path stat = host.path("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) {
            return Optional.empty();
        }
        try {
            return Optional.of(parseStat(stat, CgroupFiles.read(stat)));
        } catch (CgroupException e) {
            // It exited between the check and the read.
            if (Files.exists(stat)) {
                throw e;
            }
            return Optional.empty();
        }
    }

    /** True when the process this identity names still runs (or is a zombie not yet reaped). */
    boolean isAlive(HostView host) throws CgroupException {
        return of(host, pid).filter(this::equals).isPresent();
    }

    /**
     * Parses /proc/PID/stat: "pid (comm) state ppid ...". comm may hold spaces and parentheses, so
     * the fields after it are found from the last ')'.
     */
    static ProcessIdentity parseStat(Path file, String text) throws CgroupException {
        int open = text.indexOf(" (");
        int close = text.lastIndexOf(')');
        if (open <= 0 || close < open) {
            throw new CgroupException(file + ": not a /proc/PID/stat line: '" + text.strip() + "'");
        }
        String[] after = text.substring(close + 1).strip().split(" ");
        // after[0] is field 3 (state), so field 22 (starttime) is after[19].
        if (after.length < 20) {
            throw new CgroupException(file + ": has " + (after.length + 2) + " fields, starttime is field 22");
        }
        try {
            return new ProcessIdentity(Long.parseLong(text.substring(0, open)), Long.parseLong(after[19]));
        } catch (NumberFormatException e) {
            throw new CgroupException(file + ": pid or starttime is not a number", e);
        }
    }
}
