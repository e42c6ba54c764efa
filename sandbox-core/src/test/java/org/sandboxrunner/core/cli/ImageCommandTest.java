package org.sandboxrunner.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.core.image.SignedBusyboxImage;
import picocli.CommandLine;

/** {@code image verify} and {@code image inspect} on a skopeo-signed busybox layout: output and exit codes. */
class ImageCommandTest {

    @TempDir
    static Path base;
    static SignedBusyboxImage image;

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

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ImageCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void verifyPrintsTheDigestKeyAndRequirement() throws Exception {
        Run r = run("verify", "--policy", image.policy(image.trustedKey, "trusted.json").toString(),
                "oci:" + image.layout + ":1");
        assertEquals(0, r.exit(), r.err());
        String scope = "transports.oci[\"" + image.layout.toRealPath() + "\"]";
        assertEquals("verified oci:" + image.layout + ":1\n"
                + "manifest " + image.manifestDigest + "\n"
                + "layers 1 (sizes, digests and diff_ids checked)\n"
                + "scope " + scope + "\n"
                + "requirement " + scope + "[0] signedBy key " + image.fingerprint + " signature signatures/sha256="
                + image.manifestDigest.hex() + "/signature-1 covers " + image.manifestDigest + "\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void verifyRefusesAnotherKeyWithExit1() throws Exception {
        Run r = run("verify", "--policy", image.policy(image.otherKey, "other.json").toString(),
                "oci:" + image.layout + ":1");
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("refused: Running image oci:" + image.layout.toRealPath() + ":1 is rejected by"
                + " policy: "), r.err());
        assertTrue(r.err().endsWith("GPG signature was made by key " + image.fingerprint.substring(24)
                + ", which is not one of the trusted keys\n"), r.err());
    }

    @Test
    void withoutAPolicyForTheLayoutTheDefaultRejects() throws Exception {
        Path policy = base.resolve("default-reject.json");
        Files.writeString(policy, "{\"default\": [{\"type\": \"reject\"}]}");
        Run r = run("verify", "--policy", policy.toString(), "oci:" + image.layout + ":1");
        assertEquals(1, r.exit());
        assertEquals("refused: Running image oci:" + image.layout.toRealPath() + ":1 is rejected by policy (default[0]"
                + " is reject).\n", r.err());
    }

    @Test
    void usageAndInputErrorsExit125() throws Exception {
        Run missing = run("verify", "oci:" + image.layout + ":1");
        assertEquals(125, missing.exit());
        assertTrue(missing.err().startsWith("Missing required option: '--policy=FILE'"), missing.err());

        Run badRef = run("verify", "--policy", image.policy(image.trustedKey, "t2.json").toString(), "docker://busybox");
        assertEquals(125, badRef.exit());
        assertEquals("sandbox image verify: invalid image reference \"docker://busybox\": expected"
                + " oci:DIR[:TAG|@sha256:DIGEST]\n", badRef.err());

        Path bad = base.resolve("bad.json");
        Files.writeString(bad, "{\"default\": [{\"type\": \"reject\"}], \"extra\": true}");
        Run badPolicy = run("verify", "--policy", bad.toString(), "oci:" + image.layout + ":1");
        assertEquals(125, badPolicy.exit());
        assertEquals("sandbox image verify: " + bad + ": the top level: unknown field \"extra\"\n", badPolicy.err());

        Run noLayout = run("verify", "--policy", image.policy(image.trustedKey, "t3.json").toString(),
                "oci:" + base.resolve("nope") + ":1");
        assertEquals(125, noLayout.exit());
        assertEquals("sandbox image verify: java.nio.file.NoSuchFileException: " + base.resolve("nope") + "\n",
                noLayout.err());

        Run none = run();
        assertEquals(125, none.exit());
        assertTrue(none.err().startsWith("Usage: image"), none.err());
    }

    @Test
    void inspectShowsManifestConfigLayersAndSignatures() throws Exception {
        Run r = run("inspect", "oci:" + image.layout + ":1");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("image oci:" + image.layout + ":1\nmanifest " + image.manifestDigest
                + " application/vnd.oci.image.manifest.v1+json "), r.out());
        assertTrue(r.out().contains("\n  entrypoint [/bin/sh]\n"), r.out());
        assertTrue(r.out().contains("\n  env PATH=/bin\n"), r.out());
        assertTrue(r.out().contains("\nlayer 0 sha256:"), r.out());
        assertTrue(r.out().endsWith("\nsignature gpg signatures/sha256=" + image.manifestDigest.hex() + "/signature-1\n"),
                r.out());
    }
}
