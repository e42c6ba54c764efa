package org.sandboxrunner.core.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * A busybox-static root file system packed by umoci into an OCI layout and signed by skopeo with a GPG
 * key that gpg made for the occasion (throwaway GNUPGHOME), as an operator would prepare one. skopeo
 * cannot store signatures in an oci: layout, so it signs while copying to dir:, and the signature file is
 * put where {@link SignatureLocator} looks: {@code DIR/signatures/sha256=HEX/signature-1}.
 */
public final class SignedBusyboxImage implements AutoCloseable {

    public static final String IDENTITY = "example.com/sandbox/busybox:1";

    public final Path base;
    public final Path layout;
    public final Path gnupg;
    public final String fingerprint;
    public final String otherFingerprint;
    public final Path trustedKey;
    public final Path otherKey;
    public final Digest manifestDigest;

    private SignedBusyboxImage(Path base, Path layout, Path gnupg, String fingerprint, String otherFingerprint,
                               Path trustedKey, Path otherKey, Digest manifestDigest) {
        this.base = base;
        this.layout = layout;
        this.gnupg = gnupg;
        this.fingerprint = fingerprint;
        this.otherFingerprint = otherFingerprint;
        this.trustedKey = trustedKey;
        this.otherKey = otherKey;
        this.manifestDigest = manifestDigest;
    }

    public static SignedBusyboxImage create(Path base) throws IOException, InterruptedException {
        Path gnupg = Files.createDirectory(base.resolve("gnupg"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Map<String, String> env = Map.of("GNUPGHOME", gnupg.toString());
        try {
            return build(base, gnupg, env);
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            // gpg may have started an agent for this GNUPGHOME before the failure: stop it (only it).
            ExternalTools.run(env, base, "gpgconf", "--kill", "all");
            throw e;
        }
    }

    private static SignedBusyboxImage build(Path base, Path gnupg, Map<String, String> env)
            throws IOException, InterruptedException {
        String fpr = newKey(env, base, "Image Signer", "signer@example.com");
        String other = newKey(env, base, "Someone Else", "other@example.com");
        Path trusted = base.resolve("trusted.gpg");
        Path otherKey = base.resolve("other.gpg");
        ExternalTools.run(env, base, "gpg", "--batch", "--yes", "--output", trusted.toString(), "--export", fpr);
        ExternalTools.run(env, base, "gpg", "--batch", "--yes", "--output", otherKey.toString(), "--export", other);

        Path rootfs = Files.createDirectories(base.resolve("rootfs/bin"));
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createSymbolicLink(rootfs.resolve("sh"), Path.of("busybox"));
        Path layout = base.resolve("busybox");
        ExternalTools.run(Map.of(), base, "umoci", "init", "--layout", layout.toString());
        ExternalTools.run(Map.of(), base, "umoci", "new", "--image", layout + ":1");
        ExternalTools.run(Map.of(), base, "umoci", "insert", "--image", layout + ":1", rootfs.toString(), "/bin");
        ExternalTools.run(Map.of(), base, "umoci", "config", "--image", layout + ":1", "--config.entrypoint",
                "/bin/sh", "--config.env", "PATH=/bin", "--config.workingdir", "/");

        Path signed = base.resolve("signed");
        ExternalTools.run(env, base, "skopeo", "copy", "--quiet", "--sign-by", fpr, "--sign-identity", IDENTITY,
                "oci:" + layout + ":1", "dir:" + signed);
        Digest digest = Digest.sha256(Files.readAllBytes(signed.resolve("manifest.json")));
        Path lookaside = Files.createDirectories(layout.resolve(SignatureLocator.LOOKASIDE_DIR).resolve("sha256=" + digest.hex()));
        Files.copy(signed.resolve("signature-1"), lookaside.resolve("signature-1"));
        return new SignedBusyboxImage(base, layout, gnupg, fpr, other, trusted, otherKey, digest);
    }

    private static String newKey(Map<String, String> env, Path base, String name, String email)
            throws IOException, InterruptedException {
        Path params = base.resolve("key-" + email);
        Files.writeString(params, "%no-protection\nKey-Type: eddsa\nKey-Curve: ed25519\nKey-Usage: sign\nName-Real: "
                + name + "\nName-Email: " + email + "\nExpire-Date: 0\n%commit\n", StandardCharsets.US_ASCII);
        ExternalTools.run(env, base, "gpg", "--batch", "--gen-key", params.toString());
        String colons = ExternalTools.run(env, base, "gpg", "--batch", "--with-colons", "--list-keys", email);
        for (String line : colons.split("\n")) {
            if (line.startsWith("fpr:")) {
                return line.split(":")[9];
            }
        }
        throw new IOException("gpg did not list a fingerprint for " + email + ":\n" + colons);
    }

    /** A policy trusting {@code key} for this layout, with exactRepository on the signed identity's repository. */
    public Path policy(Path key, String name) throws IOException {
        return policy(key, name, layout);
    }

    /** The same policy, for another layout directory (a tampered copy). */
    public Path policy(Path key, String name, Path dir) throws IOException {
        Path file = base.resolve(name);
        Files.writeString(file, "{\"default\": [{\"type\": \"reject\"}], \"transports\": {\"oci\": {\""
                + dir.toRealPath() + "\": [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": \""
                + key + "\", \"signedIdentity\": {\"type\": \"exactRepository\", \"dockerRepository\":"
                + " \"example.com/sandbox/busybox\"}}]}}}");
        return file;
    }

    /** Stops the gpg-agent this fixture's GNUPGHOME started (only that one). */
    @Override
    public void close() throws IOException {
        try {
            ExternalTools.run(Map.of("GNUPGHOME", gnupg.toString()), base, "gpgconf", "--kill", "all");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping gpg-agent", e);
        }
    }
}
