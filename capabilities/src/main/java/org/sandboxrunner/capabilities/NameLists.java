package org.sandboxrunner.capabilities;

import java.util.List;
import java.util.function.ToLongFunction;

/** Turns a profile's list of flag names into one mask, naming the entry that is bad. */
final class NameLists {
    private NameLists() {
    }

    /**
     * ORs the masks of the named entries. An entry the resolver refuses, or one that repeats an
     * earlier entry (a sign of a copy-paste slip in reviewed config), fails with {@code where[i]}.
     */
    static long combine(List<String> names, String where, ToLongFunction<String> maskOf) {
        long combined = 0;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            long mask;
            try {
                mask = maskOf.applyAsLong(name);
            } catch (CapabilityException e) {
                throw new CapabilityException(where + "[" + i + "]: " + e.getMessage());
            }
            if ((combined & mask) != 0) {
                throw new CapabilityException(where + "[" + i + "]: \"" + name + "\" repeats an earlier entry");
            }
            combined |= mask;
        }
        return combined;
    }
}
