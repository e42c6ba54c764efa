package org.sandboxrunner.policies;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sandboxrunner.policy.BuiltinResolver;
import org.sandboxrunner.policy.ProfileException;
import org.sandboxrunner.policy.ProfileLoader;

/**
 * The profiles shipped with the runner, as YAML resources next to this class. The loader of the
 * {@code policy} module reaches them through {@link #resolver()}.
 */
public final class BuiltinProfiles {

    /** A built-in profile and its one-line description. */
    public record Entry(String name, String description) {}

    /** In the order they are listed: the strict default first. */
    private static final List<String> NAMES = List.of("default", "grader-c", "grader-python", "grader-java", "batch");

    private static final Map<String, String> YAML = readAll();

    private static final BuiltinResolver RESOLVER = new BuiltinResolver() {
        @Override
        public Optional<String> yaml(String name) {
            return Optional.ofNullable(YAML.get(name));
        }

        @Override
        public List<String> names() {
            return NAMES;
        }
    };

    private BuiltinProfiles() {}

    public static List<String> names() {
        return NAMES;
    }

    /** The YAML text of a built-in profile, as shipped. */
    public static Optional<String> yaml(String name) {
        return RESOLVER.yaml(name);
    }

    public static BuiltinResolver resolver() {
        return RESOLVER;
    }

    /** A loader that knows the built-ins (and files and OCI bundles). */
    public static ProfileLoader loader() {
        return new ProfileLoader(RESOLVER);
    }

    /**
     * Every built-in with its description, read from the loaded profile so the text has one home.
     *
     * @throws IllegalStateException if a shipped profile does not load (the build's tests prevent it)
     */
    public static List<Entry> list() {
        ProfileLoader loader = loader();
        List<Entry> entries = new ArrayList<>();
        for (String name : NAMES) {
            try {
                entries.add(new Entry(name, loader.loadBuiltin(name).description()));
            } catch (ProfileException e) {
                throw new IllegalStateException("built-in profile " + name + " does not load:\n" + e.getMessage(), e);
            }
        }
        return List.copyOf(entries);
    }

    private static Map<String, String> readAll() {
        Map<String, String> yaml = new LinkedHashMap<>();
        for (String name : NAMES) {
            String resource = name + ".yaml";
            try (InputStream in = BuiltinProfiles.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("built-in profile resource " + resource + " is missing");
                }
                yaml.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Map.copyOf(yaml);
    }
}
