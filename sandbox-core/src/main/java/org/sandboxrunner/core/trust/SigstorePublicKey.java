package org.sandboxrunner.core.trust;

import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * An ECDSA P-256 public key (PEM "PUBLIC KEY", SubjectPublicKeyInfo DER), as {@code cosign generate-key-pair}
 * writes it. Its id is {@code sha256:} + hex(SHA-256(SPKI DER)), the digest sigstore bundles use as the
 * public-key hint.
 */
public final class SigstorePublicKey {

    private static final String PEM_BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String PEM_END = "-----END PUBLIC KEY-----";

    private final PublicKey key;
    private final String keyId;

    private SigstorePublicKey(PublicKey key, String keyId) {
        this.key = key;
        this.keyId = keyId;
    }

    /** Parses one PEM public key; {@code source} names it in errors. */
    public static SigstorePublicKey parsePem(byte[] pem, String source) throws TrustException {
        String text = new String(pem, StandardCharsets.US_ASCII).strip();
        if (!text.startsWith(PEM_BEGIN) || !text.endsWith(PEM_END)) {
            throw new TrustException(source + " is not a PEM public key (expected " + PEM_BEGIN + ")");
        }
        String body = text.substring(PEM_BEGIN.length(), text.length() - PEM_END.length());
        if (body.contains("-----")) {
            throw new TrustException(source + " holds more than one PEM block");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new TrustException(source + ": the PEM body is not base64: " + e.getMessage(), e);
        }
        PublicKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new TrustException(source + " is not an EC public key: " + e.getMessage(), e);
        }
        if (!(key instanceof ECPublicKey ec) || !isP256(ec.getParams())) {
            throw new TrustException(source + " is not an ECDSA P-256 key");
        }
        String id = "sha256:" + HexFormat.of().formatHex(org.sandboxrunner.core.image.Digest.newSha256().digest(der));
        return new SigstorePublicKey(key, id);
    }

    public String keyId() {
        return keyId;
    }

    /** SHA256withECDSA over {@code message}, DER signature. */
    public boolean verifies(byte[] message, byte[] derSignature) {
        return verify("SHA256withECDSA", message, derSignature);
    }

    /** ECDSA over a SHA-256 digest computed elsewhere (a bundle's messageDigest), DER signature. */
    public boolean verifiesDigest(byte[] sha256, byte[] derSignature) {
        return sha256.length == 32 && verify("NONEwithECDSA", sha256, derSignature);
    }

    private boolean verify(String algorithm, byte[] data, byte[] derSignature) {
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(derSignature);
        } catch (GeneralSecurityException | RuntimeException e) {
            // A signature that is not even DER, or a point off the curve, does not verify.
            return false;
        }
    }

    private static boolean isP256(ECParameterSpec params) {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec("secp256r1"));
            ECParameterSpec p256 = p.getParameterSpec(ECParameterSpec.class);
            return p256.getCurve().equals(params.getCurve()) && p256.getGenerator().equals(params.getGenerator())
                    && p256.getOrder().equals(params.getOrder());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always provides secp256r1", e);
        }
    }
}
