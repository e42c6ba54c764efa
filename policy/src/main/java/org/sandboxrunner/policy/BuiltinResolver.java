package org.sandboxrunner.policy;

import java.util.List;
import java.util.Optional;

/**
 * Gives the YAML text of built-in profiles by name. The built-ins live in the {@code policies}
 * module, which depends on this one; the loader gets them through this interface, so there is no
 * dependency cycle.
 */
public interface BuiltinResolver {

    /** The YAML text of the built-in profile {@code name}, if there is one. */
    Optional<String> yaml(String name);

    /** Every built-in name, in the order they are listed to users. */
    List<String> names();

    /** No built-ins: only files, OCI bundles and text can be loaded. */
    BuiltinResolver NONE = new BuiltinResolver() {
        @Override
        public Optional<String> yaml(String name) {
            return Optional.empty();
        }

        @Override
        public List<String> names() {
            return List.of();
        }
    };
}
