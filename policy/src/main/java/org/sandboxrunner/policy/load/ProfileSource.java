package org.sandboxrunner.policy.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import org.sandboxrunner.policy.BuiltinResolver;
import org.sandboxrunner.policy.ProfileError;
import org.sandboxrunner.policy.ProfileException;
import org.sandboxrunner.policy.ProfileFormat;
import org.sandboxrunner.policy.wire.Describe;
import org.sandboxrunner.policy.wire.ProfileMapper;

/** Where a profile comes from: a file, a built-in, an OCI bundle, or text handed over by a caller. */
public sealed interface ProfileSource {

    /** A built-in name: lower-case letters, digits and '-', so never mistaken for a path. */
    Pattern BUILTIN_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    /** Identity for cycle detection: two references to one profile give the same key. */
    String key();

    /** How errors and chains name it. */
    String display();

    /** The name a profile from here gets when it writes none. */
    String defaultName();

    /** Whether the source exists, checked before it is read as someone's parent. */
    boolean exists();

    /** Reads and parses it. */
    Document read() throws ProfileException;

    /**
     * The source a reference names: {@code oci:PATH}, a built-in name, or a file path (relative paths
     * against {@code directory}, when there is one).
     */
    static ProfileSource of(String reference, Path directory, BuiltinResolver builtins) {
        if (reference.startsWith("oci:")) {
            return new Oci(resolve(reference.substring(4), directory));
        }
        if (BUILTIN_NAME.matcher(reference).matches()) {
            return new Builtin(reference, builtins);
        }
        return new File(resolve(reference, directory));
    }

    private static Path resolve(String path, Path directory) {
        Path p = Path.of(path);
        return directory == null || p.isAbsolute() ? p : directory.resolve(p).normalize();
    }

    /** A parent named from inside this source resolves relative to this directory, if any. */
    default Path directory() {
        return null;
    }

    /** A YAML or JSON file, the format chosen by its extension. */
    record File(Path path) implements ProfileSource {
        @Override
        public String key() {
            try {
                return "file:" + path.toRealPath();
            } catch (IOException e) {
                return "file:" + path.toAbsolutePath().normalize();
            }
        }

        @Override
        public String display() {
            return path.toString();
        }

        @Override
        public String defaultName() {
            return withoutExtension(path.getFileName() == null ? "" : path.getFileName().toString());
        }

        @Override
        public boolean exists() {
            return Files.isRegularFile(path);
        }

        @Override
        public Path directory() {
            return path.toAbsolutePath().getParent();
        }

        @Override
        public Document read() throws ProfileException {
            String fileName = path.getFileName() == null ? "" : path.getFileName().toString();
            Optional<ProfileFormat> format = ProfileFormat.ofFileName(fileName);
            if (format.isEmpty()) {
                throw fail(display(), "unknown file type: a profile file ends in .yaml, .yml or .json");
            }
            return DocumentReader.read(display(), readBytes(path, display()), format.get());
        }
    }

    /** A profile shipped in the {@code policies} module. */
    record Builtin(String name, BuiltinResolver builtins) implements ProfileSource {
        @Override
        public String key() {
            return display();
        }

        @Override
        public String display() {
            return "builtin:" + name;
        }

        @Override
        public String defaultName() {
            return name;
        }

        @Override
        public boolean exists() {
            return builtins.yaml(name).isPresent();
        }

        @Override
        public Document read() throws ProfileException {
            String yaml = builtins.yaml(name).orElseThrow(() -> new ProfileException(new ProfileError(display(), 0, 0, "",
                    "no built-in profile named " + Describe.quote(name) + "; built-in profiles: "
                            + String.join(", ", builtins.names()))));
            return DocumentReader.read(display(), yaml.getBytes(StandardCharsets.UTF_8), ProfileFormat.YAML);
        }
    }

    /** An OCI bundle: its directory or its config.json, translated by {@link OciTranslator}. */
    record Oci(Path path) implements ProfileSource {
        Path config() {
            return Files.isDirectory(path) ? path.resolve("config.json") : path;
        }

        @Override
        public String key() {
            return "oci:" + config().toAbsolutePath().normalize();
        }

        @Override
        public String display() {
            return config().toString();
        }

        @Override
        public String defaultName() {
            Path bundle = config().toAbsolutePath().getParent();
            String name = bundle == null || bundle.getFileName() == null ? "" : bundle.getFileName().toString();
            return ProfileAssembler.NAME.matcher(name).matches() ? name : "oci-bundle";
        }

        @Override
        public boolean exists() {
            return Files.isRegularFile(config());
        }

        @Override
        public Document read() throws ProfileException {
            Document config = DocumentReader.read(display(), readBytes(config(), display()), ProfileFormat.JSON);
            return OciTranslator.translate(config, defaultName());
        }
    }

    /** Text from a caller (the canonical form, a test, standard input). */
    record Text(String name, byte[] bytes, ProfileFormat format) implements ProfileSource {
        @Override
        public String key() {
            return "text:" + name;
        }

        @Override
        public String display() {
            return name;
        }

        @Override
        public String defaultName() {
            return withoutExtension(name.substring(name.lastIndexOf('/') + 1));
        }

        @Override
        public boolean exists() {
            return true;
        }

        @Override
        public Document read() throws ProfileException {
            return DocumentReader.read(display(), bytes, format);
        }
    }

    private static String withoutExtension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    private static byte[] readBytes(Path path, String display) throws ProfileException {
        try {
            if (Files.size(path) > ProfileMapper.MAX_DOCUMENT_BYTES) {
                throw fail(display, "the file is larger than " + ProfileMapper.MAX_DOCUMENT_BYTES
                        + " bytes; it cannot be a profile");
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw fail(display, "cannot read: no such file");
        } catch (IOException e) {
            throw fail(display, "cannot read: " + Describe.clean(e.toString()));
        }
    }

    private static ProfileException fail(String display, String message) {
        return new ProfileException(new ProfileError(display, 0, 0, "", message));
    }
}
