package org.sandboxrunner.core.trust;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * One signature found for an image, in one of the three formats this runner verifies. {@code source}
 * says where it was found (for messages and {@code image inspect}).
 */
public sealed interface ImageSignature {

    String source();

    /** A short name of the format: {@code gpg}, {@code cosign} or {@code sigstore-bundle}. */
    String format();

    /** An OpenPGP signed message over a simple-signing payload (skopeo {@code --sign-by}). */
    record Gpg(byte[] signedMessage, String source) implements ImageSignature {
        public Gpg {
            signedMessage = signedMessage.clone();
        }

        @Override
        public byte[] signedMessage() {
            return signedMessage.clone();
        }

        @Override
        public String format() {
            return "gpg";
        }
    }

    /**
     * A cosign key-based signature: the simple-signing payload bytes and the annotations, among them
     * {@code dev.cosignproject.cosign/signature} (base64 DER ECDSA over the payload).
     */
    record Cosign(byte[] payload, Map<String, String> annotations, String source) implements ImageSignature {
        public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";

        public Cosign {
            payload = payload.clone();
            annotations = Map.copyOf(annotations);
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public String format() {
            return "cosign";
        }
    }

    /** A Sigstore bundle (JSON), attached to the image as an OCI referrer. */
    record Bundle(byte[] json, String source) implements ImageSignature {
        public Bundle {
            json = json.clone();
        }

        @Override
        public byte[] json() {
            return json.clone();
        }

        @Override
        public String format() {
            return "sigstore-bundle";
        }
    }

    /** The JSON inside containers/image's {@code sigstore-json} blobs (internal/signature/sigstore.go). */
    record SigstoreJson(String mimeType, String payload, Map<String, String> annotations) {
    }

    /**
     * Parses a signature blob in containers/image's format (internal/signature/signature.go): a first
     * byte 0x00, a format name, a newline, then the format's data ({@code simple-signing}: an OpenPGP
     * message; {@code sigstore-json}: {@link SigstoreJson}); without the 0x00 prefix, the whole blob is a
     * legacy OpenPGP simple signature. This is what {@code dir:} layouts and lookaside stores hold.
     */
    static ImageSignature parseContainersBlob(byte[] blob, String source) throws TrustException {
        if (blob.length == 0) {
            throw new TrustException(source + " is empty");
        }
        if (blob[0] != 0) {
            return new Gpg(blob, source);
        }
        int newline = -1;
        for (int i = 1; i < blob.length && i < 64; i++) {
            if (blob[i] == '\n') {
                newline = i;
                break;
            }
        }
        if (newline < 0) {
            throw new TrustException(source + " has a 0x00 format prefix but no format name line");
        }
        String format = new String(blob, 1, newline - 1, StandardCharsets.US_ASCII);
        byte[] data = Arrays.copyOfRange(blob, newline + 1, blob.length);
        switch (format) {
            case "simple-signing":
                return new Gpg(data, source);
            case "sigstore-json": {
                SigstoreJson json = StrictJson.read(data, SigstoreJson.class, source + " (sigstore-json)");
                if (!"application/vnd.dev.cosign.simplesigning.v1+json".equals(json.mimeType())) {
                    throw new TrustException(source + ": sigstore-json mimeType \"" + json.mimeType()
                            + "\" is not a simple-signing payload");
                }
                if (json.payload() == null || json.annotations() == null) {
                    throw new TrustException(source + ": sigstore-json needs payload and annotations");
                }
                byte[] payload;
                try {
                    payload = Base64.getDecoder().decode(json.payload());
                } catch (IllegalArgumentException e) {
                    throw new TrustException(source + ": sigstore-json payload is not base64", e);
                }
                return new Cosign(payload, json.annotations(), source);
            }
            default:
                throw new TrustException(source + " has unknown signature format \"" + format + "\"");
        }
    }
}
