package org.sandboxrunner.capabilities;

import java.util.Arrays;

/**
 * The resource limits of getrlimit(2), with their numbers on x86_64 and the other architectures
 * that use {@code include/uapi/asm-generic/resource.h} (alpha, mips, sparc and parisc number
 * some differently), the row names and units {@code /proc/PID/limits} prints for them
 * ({@code lnames[]} in fs/proc/base.c), and the OCI names ({@code process.rlimits[].type}).
 */
public enum Rlimit {
    CPU("Max cpu time", "seconds"),
    FSIZE("Max file size", "bytes"),
    DATA("Max data size", "bytes"),
    STACK("Max stack size", "bytes"),
    CORE("Max core file size", "bytes"),
    RSS("Max resident set", "bytes"),
    NPROC("Max processes", "processes"),
    NOFILE("Max open files", "files"),
    MEMLOCK("Max locked memory", "bytes"),
    AS("Max address space", "bytes"),
    LOCKS("Max file locks", "locks"),
    SIGPENDING("Max pending signals", "signals"),
    MSGQUEUE("Max msgqueue size", "bytes"),
    NICE("Max nice priority", ""),
    RTPRIO("Max realtime priority", ""),
    RTTIME("Max realtime timeout", "us");

    private static final String PREFIX = "RLIMIT_";

    private final String rowName;
    private final String units;

    Rlimit(String rowName, String units) {
        this.rowName = rowName;
        this.units = units;
    }

    /** The resource number setrlimit(2) takes ({@code RLIMIT_NOFILE} = 7); constants are in number order. */
    public int number() {
        return ordinal();
    }

    /** The C and OCI name, e.g. {@code RLIMIT_NOFILE}. */
    public String resourceName() {
        return PREFIX + name();
    }

    /** The row's name in {@code /proc/PID/limits}, e.g. {@code Max open files}. */
    public String rowName() {
        return rowName;
    }

    /** The row's units in {@code /proc/PID/limits}; empty for the nice and realtime priorities. */
    public String units() {
        return units;
    }

    /** The resource with this C/OCI name, e.g. {@code RLIMIT_NOFILE}. */
    public static Rlimit fromResourceName(String resourceName) {
        for (Rlimit rlimit : values()) {
            if (rlimit.resourceName().equals(resourceName)) {
                return rlimit;
            }
        }
        throw new IllegalArgumentException("unknown resource limit \"" + resourceName + "\""
                + Suggestions.hint(resourceName.startsWith(PREFIX) ? resourceName : PREFIX + resourceName,
                        Arrays.stream(values()).map(Rlimit::resourceName).toList()));
    }
}
