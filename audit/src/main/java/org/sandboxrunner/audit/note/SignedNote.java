package org.sandboxrunner.audit.note;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A C2SP signed note (c2sp.org/signed-note): a text ending in a newline, a blank line, then one or
 * more signature lines. Parsing checks the structure only; {@link #open} checks the signatures.
 *
 * @param text the signed text, final newline included, separating blank line excluded
 * @param signatures the signature lines in order
 */
public record SignedNote(String text, List<NoteSignature> signatures) {

    /** signed-note asks verifiers to cap the signature count and to accept at least 16; Go caps at 100. */
    public static final int MAX_SIGNATURES = 100;

    private static final String SIGNATURE_PREFIX = "\u2014 ";

    public SignedNote {
        if (text.isEmpty() || !text.endsWith("\n")) {
            throw new IllegalArgumentException("note text must be non-empty and end with a newline");
        }
        signatures = List.copyOf(signatures);
        if (signatures.isEmpty()) {
            throw new IllegalArgumentException("a signed note has at least one signature");
        }
    }

    /** Signs {@code text} with {@code signer}. */
    public static SignedNote sign(String text, NoteSigner signer) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new SignedNote(text, List.of(NoteSignature.of(signer.name(), signer.keyId(), signer.sign(bytes))));
    }

    /**
     * Parses a note. The text is separated from the signatures by the last blank line.
     *
     * @throws NoteFormatException saying what is malformed
     */
    public static SignedNote parse(byte[] message) throws NoteFormatException {
        String all;
        try {
            all = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(message)).toString();
        } catch (CharacterCodingException e) {
            throw new NoteFormatException("note is not valid UTF-8");
        }
        for (int i = 0; i < all.length(); i++) {
            char c = all.charAt(i);
            if (c < 0x20 && c != '\n') {
                throw new NoteFormatException(String.format("note contains the control character U+%04X at character %d", (int) c, i));
            }
        }
        int split = all.lastIndexOf("\n\n");
        if (split < 0) {
            throw new NoteFormatException("note has no blank line before its signatures");
        }
        String text = all.substring(0, split + 1);
        String block = all.substring(split + 2);
        if (block.isEmpty() || !block.endsWith("\n")) {
            throw new NoteFormatException("note's signature block is empty or does not end with a newline");
        }
        List<NoteSignature> signatures = new ArrayList<>();
        String[] lines = block.substring(0, block.length() - 1).split("\n", -1);
        if (lines.length > MAX_SIGNATURES) {
            throw new NoteFormatException("note has " + lines.length + " signature lines, more than " + MAX_SIGNATURES);
        }
        for (int i = 0; i < lines.length; i++) {
            signatures.add(parseSignatureLine(i + 1, lines[i]));
        }
        return new SignedNote(text, signatures);
    }

    private static NoteSignature parseSignatureLine(int number, String line) throws NoteFormatException {
        if (!line.startsWith(SIGNATURE_PREFIX)) {
            throw new NoteFormatException("signature line " + number + " does not start with an em dash and a space");
        }
        String rest = line.substring(SIGNATURE_PREFIX.length());
        int space = rest.indexOf(' ');
        if (space < 0) {
            throw new NoteFormatException("signature line " + number + " has no space between key name and signature");
        }
        try {
            return NoteSignature.parse(rest.substring(0, space), rest.substring(space + 1));
        } catch (NoteFormatException e) {
            throw new NoteFormatException("signature line " + number + ": " + e.getMessage());
        }
    }

    /** The note exactly as it is stored and sent. */
    public byte[] encode() {
        StringBuilder out = new StringBuilder(text).append('\n');
        signatures.forEach(signature -> out.append(signature.line()));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Checks the signatures against {@code known} as signed-note requires: signatures by unknown
     * keys (name and key ID not both matching) are ignored, every signature by a known key must
     * verify, and at least one must.
     *
     * @return the verified signatures
     * @throws NoteVerificationException when no known key signed the note or a known key's signature fails
     * @throws IllegalArgumentException when two known keys share both name and key ID
     */
    public List<NoteSignature> open(Collection<? extends NoteVerifier> known) throws NoteVerificationException {
        Map<String, NoteVerifier> byLabel = new HashMap<>();
        for (NoteVerifier verifier : known) {
            String label = verifier.name() + "+" + NoteKeyIds.hex(verifier.keyId());
            if (byLabel.putIfAbsent(label, verifier) != null) {
                throw new IllegalArgumentException("two verifier keys share the name and key ID " + label);
            }
        }
        byte[] textBytes = text.getBytes(StandardCharsets.UTF_8);
        List<NoteSignature> verified = new ArrayList<>();
        Set<NoteSignature> unknown = new LinkedHashSet<>();
        for (NoteSignature signature : signatures) {
            NoteVerifier verifier = byLabel.get(signature.keyLabel());
            if (verifier == null) {
                unknown.add(signature);
            } else if (verified.stream().noneMatch(v -> v.keyLabel().equals(signature.keyLabel()))) {
                if (!verifier.verify(textBytes, signature.signature())) {
                    throw new NoteVerificationException(NoteVerificationException.Reason.INVALID_SIGNATURE,
                            "signature by known key " + signature.keyLabel() + " does not verify", List.copyOf(unknown));
                }
                verified.add(signature);
            }
        }
        if (verified.isEmpty()) {
            throw new NoteVerificationException(NoteVerificationException.Reason.NO_TRUSTED_SIGNATURE,
                    "no signature by a trusted key; signed by " + unknown.stream().map(NoteSignature::keyLabel).toList(),
                    List.copyOf(unknown));
        }
        return List.copyOf(verified);
    }
}
