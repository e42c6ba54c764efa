package org.sandboxrunner.seccomp;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * errno values: the two this module's logic names (asm-generic/errno-base.h, the same on every Linux
 * architecture this runner supports), and symbolic names looked up through glibc's strerrorname_np,
 * so profile files may say {@code "errno": "EPERM"} without a hand-kept table here.
 */
final class Errno {
    static final int EPERM = 1;
    static final int EEXIST = 17;

    /** errno values are below MAX_ERRNO (4095), include/linux/err.h. */
    private static final int MAX_ERRNO = 4095;

    private Errno() {}

    private static final class Names {
        static final Map<String, Integer> BY_NAME = load();

        private static Map<String, Integer> load() {
            Map<String, Integer> byName = new HashMap<>();
            for (int errno = 1; errno < MAX_ERRNO; errno++) {
                String name = CLibrary.INSTANCE.strerrorname_np(errno);
                // Aliases (EWOULDBLOCK = EAGAIN) come back as the first name; keep the lowest number.
                if (name != null) {
                    byName.putIfAbsent(name, errno);
                }
            }
            return Map.copyOf(byName);
        }
    }

    /** The number of a symbolic errno name such as "ENOSYS". */
    static OptionalInt byName(String name) {
        Integer errno = Names.BY_NAME.get(name);
        return errno == null ? OptionalInt.empty() : OptionalInt.of(errno);
    }
}
