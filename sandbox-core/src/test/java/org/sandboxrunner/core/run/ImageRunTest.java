package org.sandboxrunner.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.core.image.SignedBusyboxImage;
import org.sandboxrunner.policy.ImageSpec;

/**
 * A signed image made by other tools (umoci, skopeo --sign-by, gpg) runs as the sandbox's root when the
 * trust policy accepts it, writes nothing that outlives the run, and is refused before anything is
 * mounted when the policy names another key.
 */
class ImageRunTest {
    @TempDir
    static Path base;

    static SignedBusyboxImage image;
    static Sandbox sandbox;

    @BeforeAll
    static void build() throws Exception {
        image = SignedBusyboxImage.create(base);
        sandbox = Sandbox.open();
    }

    @AfterAll
    static void close() throws Exception {
        sandbox.close();
        image.close();
    }

    private static ResolvedProfile withImage(Path policy) throws Exception {
        ResolvedProfile def = Profiles.load("default");
        return Profiles.resolve(def.profile().withImage(new ImageSpec("oci:" + image.layout + ":1", policy.toString())));
    }

    @Test
    void aTrustedImageIsTheRootAndItsWritesDieWithTheRun() throws Exception {
        ResolvedProfile p = withImage(image.policy(image.trustedKey, "trusted.json"));
        // The image's files keep their owners (root in the image), which the sandbox does not map: the
        // workload (uid 1000) can no more write to / or /bin than it could in the image itself.
        RunResult r = sandbox.run(RunRequest.of(p, List.of("/bin/sh", "-c",
                "{ echo x > /hello || echo x > /bin/hello; } 2>/dev/null || echo denied; echo written > /tmp/t && cat /tmp/t;"
                        + " ls /bin/busybox && ls /usr 2>&1 | head -1; id -u")));
        assertEquals(Status.OK, r.status(), r.message() + new String(r.stderr(), StandardCharsets.UTF_8));
        List<String> lines = new String(r.stdout(), StandardCharsets.UTF_8).lines().toList();
        assertEquals("denied", lines.get(0));
        lines = lines.subList(1, lines.size());
        assertEquals("written", lines.get(0));
        assertEquals("/bin/busybox", lines.get(1));
        assertTrue(lines.get(2).contains("No such file"), "the host's /usr is not in an image's root: " + lines.get(2));
        assertEquals("1000", lines.get(3));
        ImageRoot root = r.image().orElseThrow();
        assertEquals(image.manifestDigest.toString(), root.digest());
        assertTrue(root.keyId().isPresent());
        for (Path layer : root.lowerDirs()) {
            assertFalse(Files.exists(layer.resolve("hello")) || Files.exists(layer.resolve("bin/hello")),
                    "a run wrote into the layer cache");
        }
        RunResult again = sandbox.run(RunRequest.of(p, List.of("/bin/sh", "-c", "cat /tmp/t 2>/dev/null || echo gone")));
        assertEquals("gone\n", new String(again.stdout(), StandardCharsets.UTF_8));
    }

    @Test
    void anImageSignedByAnotherKeyIsRefusedBeforeItRuns() throws Exception {
        ResolvedProfile p = withImage(image.policy(image.otherKey, "other.json"));
        SandboxSetupException e = assertThrows(SandboxSetupException.class,
                () -> sandbox.run(RunRequest.of(p, List.of("/bin/sh", "-c", "true"))));
        assertEquals("image", e.step());
        assertEquals(125, e.exitCode());
    }
}
