package org.sandboxrunner.core.trust;

/** Bytes whose signature verified, and the id of the key that verified them. */
public record VerifiedPayload(byte[] payload, String keyId) {

    public VerifiedPayload {
        if (payload == null || keyId == null || keyId.isEmpty()) {
            throw new IllegalArgumentException("verified payload needs bytes and a key id");
        }
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }
}
