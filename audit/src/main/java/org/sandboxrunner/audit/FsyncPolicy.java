package org.sandboxrunner.audit;

/**
 * When appended lines are forced to disk. Whatever the policy, a checkpoint forces the lines it
 * seals before it signs them, so a signed checkpoint never covers lines a crash can lose.
 */
public enum FsyncPolicy {
    /** fdatasync after every line: a returned {@code append} survives power loss. The default. */
    EVERY_EVENT,
    /** fdatasync only at checkpoints and close: faster; a crash can lose the unsealed tail. */
    AT_CHECKPOINT
}
