package org.sandboxrunner.core.trust;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A Rekor transparency log known by its public key (containers-policy.json's {@code rekorPublicKeyPath}):
 * checks signed entry timestamps (SETs) and checkpoints signed by it. Its log id is the SHA-256 of the
 * key's SubjectPublicKeyInfo, and its checkpoint key hint the first four bytes of that.
 */
public final class RekorLog {

    /** A verified checkpoint (C2SP tlog-checkpoint): origin, tree size, root hash. */
    public record Checkpoint(String origin, long treeSize, byte[] rootHash) {
    }

    private final SigstorePublicKey key;

    public RekorLog(SigstorePublicKey key) {
        this.key = key;
    }

    /** Hex SHA-256 of the log key's SPKI: what entries carry as logID. */
    public String logIdHex() {
        return key.keyId().substring("sha256:".length());
    }

    /**
     * Verifies a SET: the log's signature over the RFC 8785 canonical JSON of
     * {@code {"body", "integratedTime", "logID", "logIndex"}} (keys in that sorted order), as cosign and
     * sigstore-go rebuild it.
     */
    public void verifySet(String bodyBase64, long integratedTime, long logIndex, String logIdHex, byte[] set)
            throws TrustException {
        if (!logIdHex.equals(logIdHex())) {
            throw new TrustException("tlog entry is from log " + logIdHex + ", not the trusted log " + logIdHex());
        }
        String canonical = "{\"body\":\"" + bodyBase64 + "\",\"integratedTime\":" + integratedTime + ",\"logID\":\""
                + logIdHex + "\",\"logIndex\":" + logIndex + "}";
        if (!bodyBase64.matches("[A-Za-z0-9+/=]*")) {
            throw new TrustException("tlog entry body is not base64");
        }
        if (!key.verifies(canonical.getBytes(StandardCharsets.UTF_8), set)) {
            throw new TrustException("the tlog entry's signed entry timestamp does not verify with the trusted log key");
        }
    }

    /**
     * Verifies a checkpoint signed note: a body of origin, tree size and base64 root hash lines, a blank
     * line, then signature lines {@code "— NAME BASE64(keyhint(4) || signature)"}; one of them must be
     * this log's (key hint) and verify over the body. Lines from other keys are ignored.
     */
    public Checkpoint verifyCheckpoint(String envelope) throws TrustException {
        int split = envelope.indexOf("\n\n");
        if (split < 0) {
            throw new TrustException("checkpoint has no blank line before its signatures");
        }
        String body = envelope.substring(0, split + 1);
        String[] lines = body.split("\n");
        if (lines.length < 3) {
            throw new TrustException("checkpoint body needs origin, tree size and root hash lines");
        }
        byte[] hint = HexFormat.of().parseHex(logIdHex().substring(0, 8));
        boolean verified = false;
        for (String line : envelope.substring(split + 2).split("\n")) {
            if (!line.startsWith("\u2014 ")) {
                continue;
            }
            String[] parts = line.split(" ");
            if (parts.length != 3) {
                continue;
            }
            byte[] sig;
            try {
                sig = Base64.getDecoder().decode(parts[2]);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (sig.length > 4 && MessageDigest.isEqual(java.util.Arrays.copyOf(sig, 4), hint)
                    && key.verifies(body.getBytes(StandardCharsets.UTF_8), java.util.Arrays.copyOfRange(sig, 4, sig.length))) {
                verified = true;
            }
        }
        if (!verified) {
            throw new TrustException("checkpoint is not signed by the trusted log key");
        }
        try {
            return new Checkpoint(lines[0], Long.parseLong(lines[1]), Base64.getDecoder().decode(lines[2]));
        } catch (IllegalArgumentException e) {
            throw new TrustException("checkpoint body is malformed: " + e.getMessage(), e);
        }
    }

    /** Checks an inclusion proof against a checkpoint this log signed. */
    public void verifyInclusion(byte[] leaf, long index, long treeSize, byte[] rootHash, List<byte[]> proof,
                                String checkpointEnvelope) throws TrustException {
        byte[] root = MerkleProofs.rootFromInclusionProof(index, treeSize, MerkleProofs.leafHash(leaf), proof);
        if (!MessageDigest.isEqual(root, rootHash)) {
            throw new TrustException("inclusion proof does not lead to the entry's root hash");
        }
        Checkpoint c = verifyCheckpoint(checkpointEnvelope);
        if (c.treeSize() != treeSize || !MessageDigest.isEqual(c.rootHash(), rootHash)) {
            throw new TrustException("checkpoint (size " + c.treeSize() + ") does not match the inclusion proof (size "
                    + treeSize + ")");
        }
    }
}
