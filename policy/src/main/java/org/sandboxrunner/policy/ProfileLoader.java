package org.sandboxrunner.policy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.sandboxrunner.policy.load.ProfileResolver;
import org.sandboxrunner.policy.load.ProfileSource;

/**
 * Loads profiles into validated {@link Profile}s: files (YAML by .yaml/.yml, JSON by .json), built-in
 * profiles by name, and OCI bundles ({@code oci:PATH}, the bundle directory or its config.json). Every
 * {@code extends} chain is resolved, defaults are filled, and every error comes back in one
 * {@link ProfileException} with its file, line, column and path. Thread-safe; loads nothing twice
 * from a cache, so an edited file is read again.
 */
public final class ProfileLoader {

    private final BuiltinResolver builtins;
    private final ProfileResolver resolver;

    /** @param builtins where built-in names resolve ({@code BuiltinProfiles.resolver()}, or {@link BuiltinResolver#NONE}) */
    public ProfileLoader(BuiltinResolver builtins) {
        this.builtins = builtins;
        this.resolver = new ProfileResolver(builtins);
    }

    /**
     * Loads what a user names: {@code oci:PATH}, a built-in name (lower-case letters, digits and '-',
     * no '.' or '/'), or else a file path. A file in the current directory that looks like a name is
     * written {@code ./default}.
     */
    public Profile load(String reference) throws ProfileException {
        return resolver.resolve(ProfileSource.of(reference, null, builtins));
    }

    public Profile loadFile(Path file) throws ProfileException {
        return resolver.resolve(new ProfileSource.File(file));
    }

    public Profile loadBuiltin(String name) throws ProfileException {
        return resolver.resolve(new ProfileSource.Builtin(name, builtins));
    }

    /** An OCI bundle directory, or a config.json file. */
    public Profile loadOci(Path bundleOrConfig) throws ProfileException {
        return resolver.resolve(new ProfileSource.Oci(bundleOrConfig));
    }

    /**
     * Loads a document handed over as text.
     *
     * @param sourceName how errors name it; also its default profile name (without extension)
     */
    public Profile parse(String sourceName, String text, ProfileFormat format) throws ProfileException {
        return parse(sourceName, text.getBytes(StandardCharsets.UTF_8), format);
    }

    public Profile parse(String sourceName, byte[] document, ProfileFormat format) throws ProfileException {
        return resolver.resolve(new ProfileSource.Text(sourceName, document.clone(), format));
    }
}
