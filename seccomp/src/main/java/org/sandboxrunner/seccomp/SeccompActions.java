package org.sandboxrunner.seccomp;

import org.sandboxrunner.policy.SeccompAction;

import java.util.OptionalInt;

/**
 * OCI action names to the 32-bit action values of seccomp.h (which are the kernel's SECCOMP_RET_*
 * values), and back to text for messages. Defaults follow runc and crun: ERRNO and TRACE without
 * {@code errnoRet} carry EPERM; SCMP_ACT_KILL is SCMP_ACT_KILL_THREAD.
 */
final class SeccompActions {
    static final int KILL_PROCESS = 0x8000_0000;
    static final int KILL_THREAD = 0x0000_0000;
    static final int TRAP = 0x0003_0000;
    static final int ERRNO = 0x0005_0000;
    static final int NOTIFY = 0x7fc0_0000;
    static final int TRACE = 0x7ff0_0000;
    static final int LOG = 0x7ffc_0000;
    static final int ALLOW = 0x7fff_0000;
    /** SECCOMP_RET_ACTION_FULL: the action part of a filter's return value. */
    static final int ACTION_MASK = 0xffff_0000;
    static final int DATA_MASK = 0x0000_ffff;

    /**
     * libseccomp accepts SCMP_ACT_ERRNO(x) only for x below MAX_ERRNO (4095): larger values would be
     * read by userspace as a valid return value instead of an error.
     */
    static final int MAX_ERRNO_RET = 4094;
    /** SCMP_ACT_TRACE carries a 16-bit message for the tracer. */
    static final int MAX_TRACE_RET = 0xffff;

    private SeccompActions() {}

    /** The action value; {@code where} names the field in messages. */
    static int encode(SeccompAction action, OptionalInt errnoRet, String where) {
        return switch (action) {
            case SCMP_ACT_KILL, SCMP_ACT_KILL_THREAD -> KILL_THREAD;
            case SCMP_ACT_KILL_PROCESS -> KILL_PROCESS;
            case SCMP_ACT_TRAP -> TRAP;
            case SCMP_ACT_ERRNO -> ERRNO | checked(errnoRet.orElse(Errno.EPERM), MAX_ERRNO_RET, where);
            case SCMP_ACT_TRACE -> TRACE | checked(errnoRet.orElse(Errno.EPERM), MAX_TRACE_RET, where);
            case SCMP_ACT_ALLOW -> ALLOW;
            case SCMP_ACT_LOG -> LOG;
            case SCMP_ACT_NOTIFY -> NOTIFY;
        };
    }

    private static int checked(int value, int max, String where) {
        if (value < 0 || value > max) {
            throw new SeccompException(where + ": errnoRet must be between 0 and " + max + ", got " + value);
        }
        return value;
    }

    /** Text for an action value, e.g. {@code SCMP_ACT_ERRNO(1)}. */
    static String describe(int action) {
        int data = action & DATA_MASK;
        return switch (action & ACTION_MASK) {
            case KILL_PROCESS -> "SCMP_ACT_KILL_PROCESS";
            case KILL_THREAD -> "SCMP_ACT_KILL_THREAD";
            case TRAP -> "SCMP_ACT_TRAP";
            case ERRNO -> "SCMP_ACT_ERRNO(" + data + ")";
            case NOTIFY -> "SCMP_ACT_NOTIFY";
            case TRACE -> "SCMP_ACT_TRACE(" + data + ")";
            case LOG -> "SCMP_ACT_LOG";
            case ALLOW -> "SCMP_ACT_ALLOW";
            default -> "0x" + Integer.toHexString(action);
        };
    }
}
