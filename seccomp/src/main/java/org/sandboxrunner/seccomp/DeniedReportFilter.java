package org.sandboxrunner.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * The filter a run loads when it reports denied syscalls (docs/seccomp.md): a copy of the profile's
 * program in which every constant return of SECCOMP_RET_ERRNO(x), and of SECCOMP_RET_KILL_PROCESS
 * where that is exact, becomes SECCOMP_RET_USER_NOTIF, so the native supervisor learns of each refusal
 * and answers it as the original program decides. KILL_THREAD, TRAP, TRACE, LOG and ALLOW stay as they
 * are: a supervisor cannot reproduce them. The control flow is unchanged, so the original decides
 * every notified call.
 */
public final class DeniedReportFilter {
    /** SECCOMP_FILTER_FLAG_NEW_LISTENER: seccomp(2) then returns the listener descriptor. */
    public static final int NEW_LISTENER = FilterFlag.NEW_LISTENER;

    private static final int RET_K = 0x06;
    /** SECCOMP_RET_USER_NOTIF. */
    private static final int USER_NOTIF = SeccompActions.NOTIFY;
    /** File descriptors and pointers the guard tries sendmsg with: the call must be allowed for all. */
    private static final int PROBE_FDS = 64;
    private static final long[] PROBE_POINTERS = {0L, 0x7fff_ffff_f000L};
    /** seccomp(2)'s operation, prctl(2)'s option and its seccomp mode (linux/seccomp.h, linux/prctl.h). */
    private static final long SECCOMP_SET_MODE_FILTER = 1, PR_SET_SECCOMP = 22, SECCOMP_MODE_FILTER = 2;

    private DeniedReportFilter() {}

    /**
     * The notifying copy of a program ({@code struct sock_filter[]}, native byte order). With {@code
     * notifyKills} false, KILL_PROCESS returns stay the kernel's (see {@link #allowsStacking}).
     */
    public static byte[] notifyingCopy(byte[] program, boolean notifyKills) {
        BpfProgram.parse(program); // the kernel's load-time checks, so only real programs are patched
        byte[] copy = program.clone();
        ByteBuffer b = ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder());
        for (int at = 0; at < copy.length; at += BpfProgram.INSTRUCTION_SIZE) {
            int code = Short.toUnsignedInt(b.getShort(at));
            int k = b.getInt(at + 4);
            if (code == RET_K && ((k & SeccompActions.ACTION_MASK) == SeccompActions.ERRNO
                    || (notifyKills && k == SeccompActions.KILL_PROCESS))) {
                b.putInt(at + 4, USER_NOTIF);
            }
        }
        return copy;
    }

    /**
     * Why the report cannot run with this filter, if it cannot: the workload hands the listener over
     * with sendmsg(2) after the filter is loaded, so the profile's program must allow sendmsg on the
     * native architecture for any descriptor and buffer; otherwise that very call would wait on a
     * listener nobody holds. Decided here, at compile time, with the program's own interpreter.
     */
    public static Optional<String> blocker(CompiledFilter filter, SyscallNames names) {
        if (filter.usesNotify()) {
            return Optional.of("the profile's filter has its own SCMP_ACT_NOTIFY rules, and a filter chain has one listener");
        }
        Architecture nativeArch = filter.architectures().get(0);
        int arch = names.archToken(nativeArch.ociName());
        int sendmsg = names.resolve("sendmsg", nativeArch.ociName());
        for (int fd = 0; fd < PROBE_FDS; fd++) {
            for (long pointer : PROBE_POINTERS) {
                int action = filter.program().evaluate(SeccompData.of(arch, sendmsg, fd, pointer, 0));
                int kind = action & SeccompActions.ACTION_MASK;
                if (kind != SeccompActions.ALLOW && kind != SeccompActions.LOG) {
                    return Optional.of("the profile's filter does not allow sendmsg on " + nativeArch.ociName() + " ("
                            + SeccompActions.describe(action) + " for sendmsg(" + fd + ", 0x" + Long.toHexString(pointer)
                            + ", 0)), which hands the seccomp listener to the supervisor");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the profile's program lets the workload load a filter of its own, through seccomp(2)
     * (SECCOMP_SET_MODE_FILTER) or prctl(2) (PR_SET_SECCOMP, SECCOMP_MODE_FILTER), on any architecture
     * it covers. The kernel then runs both filters and takes the higher-ranked action (seccomp(2),
     * "Filter return values"): ERRNO, TRAP and the kills rank above USER_NOTIF, so a stacked filter
     * could answer a call the profile kills with an errno of its own, and the supervisor would never see
     * it. A KILL_PROCESS that notifies is then not exact, and stays the kernel's (a SIGSYS the verdict
     * reads as SC, without the call's name). An ERRNO that notifies stays exact: a stacked filter can
     * only refuse the call otherwise or kill itself, never let it run.
     */
    public static boolean allowsStacking(CompiledFilter filter, SyscallNames names) {
        for (Architecture arch : filter.architectures()) {
            int token = names.archToken(arch.ociName());
            if (allowed(filter, token, names, "seccomp", arch, SECCOMP_SET_MODE_FILTER)
                    || allowed(filter, token, names, "prctl", arch, PR_SET_SECCOMP, SECCOMP_MODE_FILTER)) {
                return true;
            }
        }
        return false;
    }

    private static boolean allowed(CompiledFilter filter, int arch, SyscallNames names, String syscall, Architecture on,
            long... args) {
        int nr;
        try {
            nr = names.resolve(syscall, on.ociName());
        } catch (SeccompException e) {
            return false; // the architecture has no such call
        }
        int kind = filter.program().evaluate(SeccompData.of(arch, nr, args)) & SeccompActions.ACTION_MASK;
        return kind == SeccompActions.ALLOW || kind == SeccompActions.LOG || kind == SeccompActions.TRACE;
    }

    /** Text for a SECCOMP_RET_* value, e.g. {@code SCMP_ACT_ERRNO(1)}. */
    public static String describe(int action) {
        return SeccompActions.describe(action);
    }
}
