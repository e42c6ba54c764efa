package org.sandboxrunner.core.trust;

import java.util.Base64;
import java.util.List;

/**
 * Verifies a cosign key-based signature: the base64 DER ECDSA P-256 signature in the
 * {@code dev.cosignproject.cosign/signature} annotation, over the exact payload bytes, by one of the
 * trusted keys. The payload is returned unparsed; the caller parses it only now that it verified.
 */
public final class CosignSignatureVerifier {

    private CosignSignatureVerifier() {
    }

    public static VerifiedPayload verify(ImageSignature.Cosign signature, List<SigstorePublicKey> keys)
            throws TrustException {
        String encoded = signature.annotations().get(ImageSignature.Cosign.SIGNATURE_ANNOTATION);
        if (encoded == null) {
            throw new TrustException(signature.source() + " has no " + ImageSignature.Cosign.SIGNATURE_ANNOTATION
                    + " annotation");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new TrustException(signature.source() + ": the signature annotation is not base64", e);
        }
        byte[] payload = signature.payload();
        for (SigstorePublicKey key : keys) {
            if (key.verifies(payload, der)) {
                return new VerifiedPayload(payload, key.keyId());
            }
        }
        throw new TrustException(signature.source() + ": cosign signature does not verify with "
                + (keys.size() == 1 ? "the trusted key " + keys.get(0).keyId()
                : "any of the " + keys.size() + " trusted keys"));
    }
}
