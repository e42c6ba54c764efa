package org.sandboxrunner.core.launch;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Finds the native stage next to the runner's classes (the jar's directory, or {@code target/} for
 * {@code target/classes}) and checks its SHA-256 against the one recorded when it was built, so a
 * replaced binary is never run with root's authority. Never extracted to a temporary directory.
 */
public final class HelperBinary {
    public static final String FILE_NAME = "sandbox-helper";
    /** Overrides the location, for packagers that install the helper elsewhere. */
    public static final String PROPERTY = "sandbox.helper";
    private static final String HASH_RESOURCE = "sandbox-helper.sha256";

    private HelperBinary() {}

    /** Locates and verifies the helper; the message says what to do when it cannot. */
    public static Path verified() {
        Path helper = locate();
        if (!Files.isRegularFile(helper)) {
            throw new IllegalStateException("the native stage " + helper
                    + " is missing: build it with 'mvn -DskipTests package' (needs gcc)");
        }
        String expected = expectedHash();
        String actual = sha256(helper);
        if (!actual.equals(expected)) {
            throw new IllegalStateException("the native stage " + helper + " has SHA-256 " + actual
                    + " but this build recorded " + expected + ": rebuild with 'mvn -DskipTests package'");
        }
        return helper;
    }

    static Path locate() {
        String override = System.getProperty(PROPERTY);
        if (override != null) {
            return Path.of(override);
        }
        try {
            Path classes = Path.of(HelperBinary.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return classes.toAbsolutePath().getParent().resolve(FILE_NAME);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell where the runner's classes are: " + e.getMessage(), e);
        }
    }

    private static String expectedHash() {
        try (InputStream in = HelperBinary.class.getResourceAsStream(HASH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the build did not record the native stage's hash ("
                        + HASH_RESOURCE + "): rebuild with 'mvn -DskipTests package'");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + HASH_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the native stage " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
