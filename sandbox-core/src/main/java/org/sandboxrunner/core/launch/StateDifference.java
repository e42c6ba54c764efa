package org.sandboxrunner.core.launch;

/**
 * One field where the kernel's state differs from the plan.
 *
 * @param field    what differs, e.g. {@code ambient}, {@code RLIMIT_NOFILE}, {@code mount /tmp}
 * @param expected what the plan asked
 * @param observed what the kernel held
 */
public record StateDifference(String field, String expected, String observed) {

    @Override
    public String toString() {
        return field + ": expected " + expected + ", observed " + observed;
    }
}
