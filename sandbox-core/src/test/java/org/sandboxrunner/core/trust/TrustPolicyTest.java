package org.sandboxrunner.core.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrustPolicyTest {

    private static TrustPolicy parse(String json) throws TrustPolicyException {
        return TrustPolicy.parse(json.getBytes(StandardCharsets.UTF_8), "policy.json", Path.of("/etc/sandbox"));
    }

    private static String error(String json) {
        return assertThrows(TrustPolicyException.class, () -> parse(json)).getMessage();
    }

    @Test
    void theContainersExamplePolicyParsesAndRejectsOciImagesByDefault() throws TrustPolicyException {
        TrustPolicy p = TrustPolicy.parse(Vectors.read("containers-gpg-simplesigning/policy.json"),
                "policy.json", Path.of("/"));
        assertEquals(14, p.scopes("docker").size());
        assertInstanceOf(PolicyRequirement.InsecureAcceptAnything.class, p.scopes("dir").get("").get(0));
        PolicyRequirement.SignedBy beta = assertInstanceOf(PolicyRequirement.SignedBy.class,
                p.scopes("docker").get("registry.redhat.io/beta").get(0));
        assertEquals(2, beta.keys().size());
        TrustPolicy.Scoped scoped = p.requirementsForOci(Path.of("/srv/images/busybox"), Optional.of("latest"));
        assertEquals("default", scoped.scope());
        assertInstanceOf(PolicyRequirement.Reject.class, scoped.requirements().get(0));
    }

    @Test
    void ociScopesAreLookedUpFromTheTagToTheTransportDefault() throws TrustPolicyException {
        TrustPolicy p = parse("""
                {"default": [{"type": "reject"}],
                 "transports": {"oci": {
                   "/srv/images/busybox:v1": [{"type": "insecureAcceptAnything"}],
                   "/srv/images": [{"type": "reject"}],
                   "": [{"type": "insecureAcceptAnything"}]}}}""");
        assertEquals("transports.oci[\"/srv/images/busybox:v1\"]",
                p.requirementsForOci(Path.of("/srv/images/busybox"), Optional.of("v1")).scope());
        assertEquals("transports.oci[\"/srv/images\"]",
                p.requirementsForOci(Path.of("/srv/images/busybox"), Optional.of("v2")).scope());
        assertEquals("transports.oci[\"\"]", p.requirementsForOci(Path.of("/opt/x"), Optional.empty()).scope());
    }

    @Test
    void noPolicyMeansRejectAll() {
        assertInstanceOf(PolicyRequirement.Reject.class,
                TrustPolicy.REJECT_ALL.requirementsForOci(Path.of("/a"), Optional.empty()).requirements().get(0));
    }

    @Test
    void relativeKeyPathsResolveAgainstThePolicyDirectory() throws TrustPolicyException {
        TrustPolicy p = parse("""
                {"default": [{"type": "sigstoreSigned", "keyPath": "keys/cosign.pub",
                  "signedIdentity": {"type": "exactRepository", "dockerRepository": "example.com/app"}}]}""");
        PolicyRequirement.SigstoreSigned s = assertInstanceOf(PolicyRequirement.SigstoreSigned.class, p.defaults().get(0));
        assertEquals(new KeySource.File(Path.of("/etc/sandbox/keys/cosign.pub")), s.keys().get(0));
        assertEquals("example.com/app", ((SignedIdentity.ExactRepository) s.identity()).repository().name());
    }

    @Test
    void errorsNameTheFileAndThePath() {
        assertEquals("policy.json: the top level: missing field \"default\"", error("{}"));
        assertEquals("policy.json: the top level: unknown field \"defualt\"",
                error("{\"default\": [{\"type\": \"reject\"}], \"defualt\": []}"));
        assertEquals("policy.json: default[0]: unknown field \"keyPath\"",
                error("{\"default\": [{\"type\": \"reject\", \"keyPath\": \"/k\"}]}"));
        assertEquals("policy.json: default: the list of requirements must not be empty", error("{\"default\": []}"));
        assertEquals("policy.json: default[0].type: unknown requirement type \"signedByMagic\"",
                error("{\"default\": [{\"type\": \"signedByMagic\"}]}"));
        assertEquals("policy.json: transports: unknown transport \"ftp\"",
                error("{\"default\": [{\"type\": \"reject\"}], \"transports\": {\"ftp\": {}}}"));
        assertEquals("policy.json: transports.oci[\"relative\"]: an oci scope must be an absolute path",
                error("{\"default\": [{\"type\": \"reject\"}], \"transports\": {\"oci\": {\"relative\": [{\"type\": \"reject\"}]}}}"));
        assertEquals("policy.json: transports.oci[\"/a/../b\"]: scope is not in canonical form, perhaps try \"/b\"",
                error("{\"default\": [{\"type\": \"reject\"}], \"transports\": {\"oci\": {\"/a/../b\": [{\"type\": \"reject\"}]}}}"));
        assertEquals("policy.json: default[0]: exactly one of keyData, keyPath, keyPaths must be set, found keyPath, keyData",
                error("{\"default\": [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": \"/k\", \"keyData\": \"AA==\"}]}"));
        assertEquals("policy.json: default[0].fulcio: is not supported by this runner: only public keys"
                        + " (keyPath, keyPaths, keyData, keyDatas) and one Rekor key (rekorPublicKeyPath,"
                        + " rekorPublicKeyData) are verified offline",
                error("{\"default\": [{\"type\": \"sigstoreSigned\", \"keyPath\": \"/k\", \"fulcio\": {}}]}"));
        assertEquals("policy.json: default[0]: at most one of rekorPublicKeyPath, rekorPublicKeyData may be set",
                error("{\"default\": [{\"type\": \"sigstoreSigned\", \"keyPath\": \"/k\", \"rekorPublicKeyPath\":"
                        + " \"/r\", \"rekorPublicKeyData\": \"AA==\"}]}"));
        assertEquals("policy.json: default[0].signedIdentity: dockerReference docker.io/library/busybox contains neither a tag nor a digest",
                error("{\"default\": [{\"type\": \"sigstoreSigned\", \"keyPath\": \"/k\", \"signedIdentity\":"
                        + " {\"type\": \"exactReference\", \"dockerReference\": \"busybox\"}}]}"));
    }

    @Test
    void duplicateKeysAndTrailingTokensRejectTheFile() {
        assertEquals(true, error("{\"default\": [{\"type\": \"reject\"}], \"default\": [{\"type\": \"reject\"}]}")
                .startsWith("policy.json is not valid: Duplicate field 'default'"));
        assertEquals(true, error("{\"default\": [{\"type\": \"reject\"}]} {}")
                .startsWith("policy.json is not valid: Trailing token"));
    }
}
