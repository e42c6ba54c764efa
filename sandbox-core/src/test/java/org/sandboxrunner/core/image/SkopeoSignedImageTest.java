package org.sandboxrunner.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.core.trust.TrustPolicy;

/**
 * End to end with images made by other tools: busybox-static packed by umoci, signed by skopeo with a
 * key gpg made. Verified when the policy trusts that key; refused for another key, a flipped layer byte,
 * a swapped manifest, and a signature for another digest.
 */
class SkopeoSignedImageTest {

    @TempDir
    static Path base;
    static SignedBusyboxImage image;

    @TempDir
    Path work;

    @BeforeAll
    static void build() throws Exception {
        image = SignedBusyboxImage.create(base);
    }

    @AfterAll
    static void stopAgent() throws Exception {
        if (image != null) {
            image.close();
        }
    }

    private static ImageVerifier verifier(Path policy) throws Exception {
        return new ImageVerifier(TrustPolicy.load(policy), Clock.systemUTC());
    }

    @Test
    void verifiedUnpackedAndRunnable() throws Exception {
        VerifiedImage v = verifier(image.policy(image.trustedKey, "trusted.json")).verifyAndUnpack(
                ImageReference.parse("oci:" + image.layout + ":1"), LayerCache.open(work.resolve("cache"),
                        new LinuxBeneathFs()), UnpackOptions.DEFAULTS);
        assertEquals(image.manifestDigest, v.manifestDigest());
        assertEquals(Optional.of(image.fingerprint), v.keyId());
        assertEquals("transports.oci[\"" + image.layout.toRealPath() + "\"][0]", v.requirement());
        assertEquals(java.util.List.of("/bin/sh"), v.config().entrypoint());
        assertEquals(java.util.List.of("PATH=/bin"), v.config().env());

        // As the run will: the cached layers as lower dirs, a throwaway upper dir.
        Path merged = Files.createDirectories(work.resolve("merged"));
        Path upper = Files.createDirectories(work.resolve("upper"));
        Path ovlWork = Files.createDirectories(work.resolve("ovl-work"));
        String lower = v.lowerDirs().stream().map(Path::toString).collect(Collectors.joining(":"));
        ExternalTools.run(Map.of(), work, "mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + lower + ",upperdir="
                + upper + ",workdir=" + ovlWork, merged.toString());
        try {
            String out = ExternalTools.run(Map.of(), work, "chroot", merged.toString(), "/bin/sh", "-c", "echo hello from busybox");
            assertEquals("hello from busybox\n", out);
        } finally {
            ExternalTools.run(Map.of(), work, "umount", merged.toString());
        }
    }

    @Test
    void refusedWhenThePolicyNamesAnotherKey() throws Exception {
        ImageException e = assertThrows(ImageException.class, () -> verifier(image.policy(image.otherKey, "other.json"))
                .verify(ImageReference.parse("oci:" + image.layout + ":1")));
        assertEquals("Running image oci:" + image.layout.toRealPath() + ":1 is rejected by policy: transports.oci[\""
                + image.layout.toRealPath() + "\"][0] (signedBy): signatures/sha256=" + image.manifestDigest.hex()
                + "/signature-1: GPG signature was made by key " + image.fingerprint.substring(24)
                + ", which is not one of the trusted keys", e.getMessage());
    }

    @Test
    void refusedWhenALayerByteIsFlipped() throws Exception {
        Path copy = copyLayout("flipped");
        OciLayout layout = OciLayout.open(copy);
        Descriptor layer = new ManifestResolver(layout, Platform.host()).resolve(ImageReference.parse("oci:" + copy + ":1"))
                .manifest().layers().get(0);
        Path blob = copy.resolve("blobs/sha256").resolve(layer.digest().hex());
        byte[] data = Files.readAllBytes(blob);
        data[data.length / 2] ^= 0x20;
        Files.write(blob, data);
        ImageVerifier verifier = verifier(image.policy(image.trustedKey, "flipped.json", copy));
        TrustedImage trusted = verifier.verify(ImageReference.parse("oci:" + copy + ":1"));
        ImageException check = assertThrows(ImageException.class, () -> verifier.checkLayers(trusted, UnpackOptions.DEFAULTS));
        assertTrue(check.getMessage().startsWith("layer 0 (" + layer.digest() + ") is refused: "), check.getMessage());
        ImageException unpack = assertThrows(ImageException.class, () -> verifier.verifyAndUnpack(
                ImageReference.parse("oci:" + copy + ":1"), LayerCache.open(work.resolve("cache"), new LinuxBeneathFs()),
                UnpackOptions.DEFAULTS));
        assertTrue(unpack.getMessage().startsWith("layer 0 (" + layer.digest() + ")"), unpack.getMessage());
        assertTrue(Files.notExists(work.resolve("cache/layers")), "nothing published");
    }

    @Test
    void refusedWhenTheManifestIsSwapped() throws Exception {
        Path copy = copyLayout("swapped");
        ExternalTools.run(Map.of(), work, "umoci", "config", "--image", copy + ":1", "--config.entrypoint", "/bin/evil");
        Digest swapped = new ManifestResolver(OciLayout.open(copy), Platform.host())
                .resolve(ImageReference.parse("oci:" + copy + ":1")).digest();
        // The attacker also puts the genuine signature where the swapped manifest's would be.
        Path dir = Files.createDirectories(copy.resolve("signatures/sha256=" + swapped.hex()));
        Files.copy(image.layout.resolve("signatures/sha256=" + image.manifestDigest.hex() + "/signature-1"),
                dir.resolve("signature-1"));
        ImageException e = assertThrows(ImageException.class, () -> verifier(image.policy(image.trustedKey, "swapped.json",
                copy)).verify(ImageReference.parse("oci:" + copy + ":1")));
        assertTrue(e.getMessage().endsWith("signatures/sha256=" + swapped.hex() + "/signature-1: signature is for manifest "
                + image.manifestDigest + ", not " + swapped), e.getMessage());
    }

    @Test
    void refusedWhenTheSignatureIsForAnotherDigest() throws Exception {
        Path other = copyLayout("other");
        ExternalTools.run(Map.of(), work, "umoci", "config", "--image", other + ":1", "--config.cmd", "other");
        Path signedOther = work.resolve("signed-other");
        ExternalTools.run(Map.of("GNUPGHOME", image.gnupg.toString()), work, "skopeo", "copy", "--quiet", "--sign-by",
                image.fingerprint, "--sign-identity", SignedBusyboxImage.IDENTITY, "oci:" + other + ":1", "dir:" + signedOther);
        Digest otherDigest = Digest.sha256(Files.readAllBytes(signedOther.resolve("manifest.json")));
        Path copy = copyLayout("resigned");
        Files.copy(signedOther.resolve("signature-1"),
                copy.resolve("signatures/sha256=" + image.manifestDigest.hex() + "/signature-1"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ImageException e = assertThrows(ImageException.class, () -> verifier(image.policy(image.trustedKey, "resigned.json",
                copy)).verify(ImageReference.parse("oci:" + copy + ":1")));
        assertTrue(e.getMessage().endsWith("signature-1: signature is for manifest " + otherDigest + ", not "
                + image.manifestDigest), e.getMessage());
    }

    private Path copyLayout(String name) throws IOException {
        Path dst = work.resolve(name);
        try (Stream<Path> files = Files.walk(image.layout)) {
            for (Path p : files.toList()) {
                Path t = dst.resolve(image.layout.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return dst;
    }
}
