package org.sandboxrunner.core.launch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Parses the native stage's report lines (see report.h and helper.c): {@code step NAME},
 * {@code fail STEP ERRNO DETAIL}, {@code state ...}, {@code exit ...}, {@code denied ...} and
 * {@code denied-dropped N} (notify.c), and the final {@code end ...}.
 * The lines come from the runner's own helper, never from the workload; a line that does not parse is
 * still an error, reported with the line.
 */
final class ReportParser {
    private final List<String> steps = new ArrayList<>();
    private StepFailure failure;
    private WorkloadExit exit;
    private OptionalLong wallMicros = OptionalLong.empty();
    private long outputBytes;
    private String limit;
    private boolean ended;
    private long[] caps;
    private List<Long> uids = List.of(), gids = List.of(), groups = List.of();
    private boolean nnp;
    private final Map<String, List<Long>> rlimits = new HashMap<>();
    private final Map<String, Long> namespaces = new HashMap<>();
    private final List<List<Long>> uidMap = new ArrayList<>(), gidMap = new ArrayList<>();
    private String setgroups = "", hostname = "";
    private final List<MountRow> mounts = new ArrayList<>();
    private final List<String> cgroups = new ArrayList<>();
    private ObservedState.SeccompState seccomp;
    private boolean stateEnded;
    private long gateOpenedNanos, gateClosedNanos;
    private List<StateDifference> differences = List.of();
    private final List<DeniedEvent> denied = new ArrayList<>();
    private long deniedDropped;

    void accept(String line) {
        String[] w = line.split(" ");
        try {
            switch (w[0]) {
                case "step" -> {
                    steps.add(w[1]);
                    if (w[1].equals("verify-state")) {
                        gateClosedNanos = System.nanoTime();
                    }
                }
                case "fail" -> {
                    if (failure == null) {
                        failure = new StepFailure(w[1], Integer.parseInt(w[2]), w.length > 3 ? w[3] : "");
                    }
                }
                case "state" -> state(w);
                case "denied" -> denied.add(new DeniedEvent(Integer.parseUnsignedInt(w[1]), Integer.parseUnsignedInt(w[2]),
                        Integer.parseUnsignedInt(w[3]), Long.parseLong(w[4]), List.of(Long.parseUnsignedLong(w[5], 16),
                        Long.parseUnsignedLong(w[6], 16), Long.parseUnsignedLong(w[7], 16), Long.parseUnsignedLong(w[8], 16),
                        Long.parseUnsignedLong(w[9], 16), Long.parseUnsignedLong(w[10], 16))));
                case "denied-dropped" -> deniedDropped = Long.parseLong(w[1]);
                case "exit" -> exit = new WorkloadExit(Integer.parseUnsignedInt(w[1]), Long.parseLong(w[2]),
                        Long.parseLong(w[3]), Long.parseLong(w[4]), Long.parseLong(w[5]), Long.parseLong(w[6]),
                        Long.parseLong(w[7]), Long.parseLong(w[8]));
                case "end" -> {
                    ended = true;
                    wallMicros = OptionalLong.of(Long.parseLong(w[2]));
                    outputBytes = Long.parseLong(w[3]);
                    limit = w[4].equals("-") ? null : w[4];
                }
                default -> throw new IllegalArgumentException("unknown record");
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("native stage sent a malformed report line '" + line + "'", e);
        }
    }

    private void state(String[] w) {
        switch (w[1]) {
            case "caps" -> caps = new long[] {Long.parseUnsignedLong(w[2], 16), Long.parseUnsignedLong(w[3], 16),
                Long.parseUnsignedLong(w[4], 16), Long.parseUnsignedLong(w[5], 16), Long.parseUnsignedLong(w[6], 16),
                Long.parseLong(w[7])};
            case "ids" -> {
                uids = List.of(Long.parseLong(w[2]), Long.parseLong(w[3]), Long.parseLong(w[4]));
                gids = List.of(Long.parseLong(w[5]), Long.parseLong(w[6]), Long.parseLong(w[7]));
            }
            case "groups" -> {
                List<Long> g = new ArrayList<>();
                for (int i = 2; i < w.length; i++) {
                    g.add(Long.parseLong(w[i]));
                }
                groups = g;
            }
            case "nnp" -> nnp = w[2].equals("1");
            case "rlimit" -> rlimits.put(w[2], List.of(Long.parseUnsignedLong(w[3]), Long.parseUnsignedLong(w[4])));
            case "ns" -> namespaces.put(w[2], Long.parseLong(w[3]));
            case "uidmap" -> uidMap.add(numbers(w, 3));
            case "gidmap" -> gidMap.add(numbers(w, 3));
            case "setgroups" -> setgroups = w[2];
            case "hostname" -> hostname = w[2];
            case "mount" -> mounts.add(MountRow.parse(w[2], w[3], w[4]));
            case "cgroup" -> cgroups.add(w[2]);
            case "seccomp" -> seccomp = new ObservedState.SeccompState(Integer.parseInt(w[2]), Integer.parseInt(w[3]));
            case "end" -> {
                stateEnded = true;
                gateOpenedNanos = System.nanoTime();
            }
            default -> throw new IllegalArgumentException("unknown state record");
        }
    }

    private static List<Long> numbers(String[] w, int count) {
        if (w.length != 2 + count) {
            throw new IllegalArgumentException("expected " + count + " numbers");
        }
        List<Long> out = new ArrayList<>();
        for (int i = 2; i < w.length; i++) {
            out.add(Long.parseLong(w[i]));
        }
        return out;
    }

    /** True once the init has sent its whole state before exec and waits for the runner's answer. */
    boolean stateReported() {
        return stateEnded && caps != null;
    }

    /** The state read back before exec, once the init has sent all of it ({@code state end}) and waits for the answer. */
    Optional<ObservedState> stateBeforeExec() {
        return stateReported() ? Optional.of(new ObservedState(caps[0], caps[1], caps[2], caps[3], caps[4],
                (int) caps[5], uids, gids, groups, nnp, rlimits, namespaces, uidMap, gidMap, setgroups, hostname, mounts,
                cgroups, Optional.empty())) : Optional.empty();
    }

    /** Records the runner's comparison, answered to the init now. */
    void answered(List<StateDifference> found) {
        differences = List.copyOf(found);
    }

    /** True once the helper wrote its final record. */
    boolean ended() {
        return ended;
    }

    LaunchReport finish(int helperStatus) {
        Optional<ObservedState> state = stateBeforeExec().map(st -> seccomp == null ? st : st.withSeccomp(seccomp));
        OptionalLong gate = gateOpenedNanos != 0 && gateClosedNanos != 0
                ? OptionalLong.of((gateClosedNanos - gateOpenedNanos) / 1000) : OptionalLong.empty();
        return new LaunchReport(steps, Optional.ofNullable(failure), state, Optional.ofNullable(exit), wallMicros,
                outputBytes, Optional.ofNullable(limit), helperStatus, differences, gate, denied, deniedDropped);
    }
}
