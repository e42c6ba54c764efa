package org.sandboxrunner.core.cgroup;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * A set of CPU or memory-node numbers in the kernel's list format ({@code "0-3,8"}), as read and
 * written in {@code cpuset.cpus} and {@code cpuset.mems} on both cgroup versions. The kernel
 * rewrites what it is given into canonical ranges, so read-back compares sets, not strings.
 *
 * @param ids the numbers, ascending and distinct
 */
public record CpuSetList(List<Integer> ids) {
    /** Far above any kernel's NR_CPUS or MAX_NUMNODES; it bounds what a typo like "0-99999999" costs. */
    static final int MAX_ID = 65_535;

    public CpuSetList {
        ids = List.copyOf(Objects.requireNonNull(ids, "ids"));
        for (int i = 0; i < ids.size(); i++) {
            int id = ids.get(i);
            if (id < 0 || id > MAX_ID) {
                throw new IllegalArgumentException("cpuset id " + id + " is outside 0.." + MAX_ID);
            }
            if (i > 0 && ids.get(i - 1) >= id) {
                throw new IllegalArgumentException("cpuset ids must be ascending and distinct, got " + ids);
            }
        }
    }

    /** Parses the list format; an empty or blank text is the empty set (a fresh v1 cpuset). */
    public static CpuSetList parse(String text) {
        Objects.requireNonNull(text, "text");
        BitSet set = new BitSet();
        String trimmed = text.strip();
        if (!trimmed.isEmpty()) {
            for (String part : trimmed.split(",", -1)) {
                int dash = part.indexOf('-');
                int from = parseId(dash < 0 ? part : part.substring(0, dash), text);
                int to = dash < 0 ? from : parseId(part.substring(dash + 1), text);
                if (to < from) {
                    throw new IllegalArgumentException("cpuset list '" + text + "' has a descending range '" + part + "'");
                }
                set.set(from, to + 1);
            }
        }
        return new CpuSetList(set.stream().boxed().toList());
    }

    private static int parseId(String digits, String text) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("cpuset list '" + text + "' is not in the list format (e.g. 0-3,8)");
        }
        int id = Integer.parseInt(digits);
        if (id > MAX_ID) {
            throw new IllegalArgumentException("cpuset list '" + text + "' names " + id + ", above " + MAX_ID);
        }
        return id;
    }

    public boolean isEmpty() {
        return ids.isEmpty();
    }

    /** The canonical list format, as the kernel prints it. */
    public String format() {
        List<String> ranges = new ArrayList<>();
        int i = 0;
        while (i < ids.size()) {
            int j = i;
            while (j + 1 < ids.size() && ids.get(j + 1) == ids.get(j) + 1) {
                j++;
            }
            ranges.add(i == j ? Integer.toString(ids.get(i)) : ids.get(i) + "-" + ids.get(j));
            i = j + 1;
        }
        return String.join(",", ranges);
    }

    @Override
    public String toString() {
        return format();
    }
}
