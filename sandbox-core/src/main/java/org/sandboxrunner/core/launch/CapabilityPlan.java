package org.sandboxrunner.core.launch;

/**
 * The five capability sets as kernel bitmaps, the securebits to set, and the highest capability the
 * running kernel knows (the native stage drops every bounding bit up to it).
 */
public record CapabilityPlan(long bounding, long permitted, long effective, long inheritable, long ambient,
        int securebits, int lastCap) {

    public CapabilityPlan {
        if (lastCap < 0 || lastCap > 63) {
            throw new IllegalArgumentException("last capability out of range: " + lastCap);
        }
    }

    public static CapabilityPlan none(int lastCap) {
        return new CapabilityPlan(0, 0, 0, 0, 0, 0, lastCap);
    }
}
