package org.sandboxrunner.core.image;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever an archive names, an accepted path stays beneath the layer root. */
class ArchivePathPropertiesTest {

    @Provide
    Arbitrary<String> archiveNames() {
        Arbitrary<String> part = Arbitraries.oneOf(Arbitraries.of("..", ".", "", "a", "b", ".wh.x", "..a", "a.."),
                Arbitraries.strings().withChars("/.ab\0").ofMaxLength(6));
        return part.list().ofMaxSize(6).map(parts -> String.join("/", parts))
                .flatMap(s -> Arbitraries.of(s, "/" + s, "./" + s, s + "/"));
    }

    @Property(tries = 2000)
    void acceptedNamesResolveBeneathTheRoot(@ForAll("archiveNames") String name) {
        List<String> parts;
        try {
            parts = LayerUnpacker.components(name, "name");
        } catch (ImageException refused) {
            return;
        }
        Path root = Path.of("/layer");
        Path resolved = root;
        for (String p : parts) {
            assertFalse(p.isEmpty() || p.equals(".") || p.equals("..") || p.contains("/") || p.contains("\0"), p);
            resolved = resolved.resolve(p);
        }
        assertTrue(resolved.normalize().startsWith(root), name + " -> " + resolved);
        assertFalse(name.startsWith("/"), "absolute names are refused: " + name);
    }
}
