package org.sandboxrunner.capabilities;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The /proc files copied from this machine into src/test/resources/proc (see the README there). */
final class Fixtures {
    private Fixtures() {
    }

    static String proc(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/proc/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture /proc/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
