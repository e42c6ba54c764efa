package org.sandboxrunner.audit.note;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sandboxrunner.audit.SharedVectors;

/** The signed-note and checkpoint vectors: C2SP's example, Go's sumdb/note tests, sum.golang.org and Rekor. */
class SignedNoteVectorsTest {

    private static Path dir() {
        return SharedVectors.dir("signed-note");
    }

    private static byte[] read(String name) throws IOException {
        return Files.readAllBytes(dir().resolve(name));
    }

    private static Ed25519NoteVerifier vkey(String name) throws IOException, NoteFormatException {
        return Ed25519NoteVerifier.parse(new String(read(name), StandardCharsets.UTF_8).strip());
    }

    @Test
    void c2spExampleVerifiesAndItsKeyIdIsTheSpecsHash() throws Exception {
        Ed25519NoteVerifier key = vkey("c2sp-example.vkey");
        assertEquals("530d903a", NoteKeyIds.hex(key.keyId()));
        SignedNote note = SignedNote.parse(read("c2sp-example.note"));
        assertEquals("This is an example message.\n", note.text());
        assertEquals(List.of(note.signatures().get(0)), note.open(List.of(key)));
        assertArrayEquals(read("c2sp-example.note"), note.encode(), "a parsed note encodes to the same bytes");
    }

    @Test
    void goNoteVerifiesAndSigningWithItsSeedReproducesTheSignature() throws Exception {
        Ed25519NoteVerifier key = vkey("go-note-peterneumann.vkey");
        SignedNote note = SignedNote.parse(read("go-note-peterneumann.note"));
        note.open(List.of(key));
        Ed25519NoteSigner signer = Ed25519NoteSigner.parse(new String(read("go-note-peterneumann.skey"), StandardCharsets.UTF_8).strip());
        assertEquals(key.encoded(), signer.verifier().encoded());
        assertArrayEquals(read("go-note-peterneumann.note"), SignedNote.sign(note.text(), signer).encode(),
                "Ed25519 is deterministic: the same seed and text give the same note");
        assertEquals(new String(read("go-note-peterneumann.skey"), StandardCharsets.UTF_8).strip(), signer.encodedSecret());
        assertEquals("Ed25519NoteSigner[PeterNeumann+c74f20a3]", signer.toString(), "toString never shows the seed");
    }

    @Test
    void sumGolangOrgCheckpointVerifiesAndParses() throws Exception {
        SignedNote note = SignedNote.parse(read("sumdb-checkpoint.note"));
        note.open(List.of(vkey("sumdb.vkey")));
        Checkpoint checkpoint = Checkpoint.parse(note.text());
        assertEquals("go.sum database tree", checkpoint.origin());
        assertEquals(6476701, checkpoint.size());
        assertEquals("mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=", Base64.getEncoder().encodeToString(checkpoint.rootHash()));
        assertEquals(note.text(), checkpoint.text(), "a parsed checkpoint writes back the same text");
    }

    @Test
    void rekorEcdsaCheckpointsVerifyThroughTheSameParserAndIgnoreUnknownSigners() throws Exception {
        NoteVerifier rekor = new EcdsaNoteVerifier("rekor.sigstore.dev", read("rekor-production.pub"));
        assertEquals("c0d23d6a", NoteKeyIds.hex(rekor.keyId()));
        for (String name : List.of("rekor-checkpoint.note", "rekor-checkpoint-multi-sig.note")) {
            SignedNote note = SignedNote.parse(read(name));
            List<NoteSignature> verified = note.open(List.of(rekor));
            assertEquals(List.of("rekor.sigstore.dev"), verified.stream().map(NoteSignature::name).toList(), name);
            Checkpoint checkpoint = Checkpoint.parse(note.text());
            assertEquals(37795272, checkpoint.size());
            assertEquals(List.of("Timestamp: 1697034484441201852"), checkpoint.extensions());
        }
    }

    @Test
    void aChangedTextFailsWithTheKnownKey() throws Exception {
        byte[] bytes = read("c2sp-example.note");
        bytes[0] = 't';
        SignedNote note = SignedNote.parse(bytes);
        NoteVerificationException e = assertThrows(NoteVerificationException.class, () -> note.open(List.of(vkey("c2sp-example.vkey"))));
        assertEquals(NoteVerificationException.Reason.INVALID_SIGNATURE, e.reason());
        assertEquals("signature by known key example.com/foo+530d903a does not verify", e.getMessage());
    }

    @Test
    void aChangedRekorTextFailsWithTheRekorKey() throws Exception {
        String changed = new String(read("rekor-checkpoint.note"), StandardCharsets.UTF_8).replace("37795272", "37795273");
        SignedNote note = SignedNote.parse(changed.getBytes(StandardCharsets.UTF_8));
        NoteVerifier rekor = new EcdsaNoteVerifier("rekor.sigstore.dev", read("rekor-production.pub"));
        assertThrows(NoteVerificationException.class, () -> note.open(List.of(rekor)));
    }

    @Test
    void aNoteSignedOnlyByUnknownKeysIsRejected() throws Exception {
        SignedNote note = SignedNote.parse(read("sumdb-checkpoint.note"));
        NoteVerificationException e = assertThrows(NoteVerificationException.class, () -> note.open(List.of(vkey("c2sp-example.vkey"))));
        assertEquals(NoteVerificationException.Reason.NO_TRUSTED_SIGNATURE, e.reason());
        assertEquals(List.of("sum.golang.org+033de0ae"), e.unknownSignatures().stream().map(NoteSignature::keyLabel).toList());
    }

    @Test
    void aKeyWithTheRightNameButAnotherKeyIdIsUnknownNotWrong() throws Exception {
        Ed25519NoteSigner impostor = Ed25519NoteSigner.generate("example.com/foo", new java.security.SecureRandom());
        SignedNote note = SignedNote.parse(read("c2sp-example.note"));
        NoteVerificationException e = assertThrows(NoteVerificationException.class, () -> note.open(List.of(impostor.verifier())));
        assertEquals(NoteVerificationException.Reason.NO_TRUSTED_SIGNATURE, e.reason());
    }

    @Test
    void malformedNotesAreRefusedWithTheReason() throws Exception {
        String good = new String(read("c2sp-example.note"), StandardCharsets.UTF_8);
        assertMalformed(good.replace("\n\n", "\n"), "note has no blank line before its signatures");
        assertMalformed(good.substring(0, good.length() - 1), "note's signature block is empty or does not end with a newline");
        assertMalformed(good.replace("\u2014 ", "- "), "signature line 1 does not start with an em dash and a space");
        assertMalformed(good.replace("example.", "example\t"), "note contains the control character U+0009 at character 38");
        assertMalformed(good.replace("IneyaQM=", "IneyaQM"), "signature line 1: signature by example.com/foo is not canonical"
                + " padded base64");
        assertMalformed(good.replace("com/foo ", "com/f+o "), "signature line 1: key name \"example.com/f+o\" contains '+',"
                + " which signed-note forbids");
        byte[] invalidUtf8 = Arrays.copyOf(read("c2sp-example.note"), 160);
        invalidUtf8[0] = (byte) 0xff;
        NoteFormatException e = assertThrows(NoteFormatException.class, () -> SignedNote.parse(invalidUtf8));
        assertEquals("note is not valid UTF-8", e.getMessage());
    }

    @Test
    void verifierKeysWithAWrongIdOrTypeAreRefused() {
        NoteFormatException wrongId = assertThrows(NoteFormatException.class,
                () -> Ed25519NoteVerifier.parse("example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"));
        assertEquals("verifier key for example.com/foo says key ID 530d903b but its name and key give 530d903a", wrongId.getMessage());
        NoteFormatException wrongType = assertThrows(NoteFormatException.class,
                () -> Ed25519NoteVerifier.parse("example.com/foo+530d903a+AukyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"));
        assertEquals("verifier key for example.com/foo has signature type 0x02; only Ed25519 (0x01) is supported", wrongType.getMessage());
    }

    @Test
    void checkpointsWithBadLinesAreRefused() {
        String root = "mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=";
        assertEquals("checkpoint line 2: tree size \"007\" is not a decimal without leading zeros",
                assertThrows(NoteFormatException.class, () -> Checkpoint.parse("o\n007\n" + root + "\n")).getMessage());
        assertEquals("checkpoint has 2 lines; origin, size and root hash are needed",
                assertThrows(NoteFormatException.class, () -> Checkpoint.parse("o\n7\n")).getMessage());
        assertEquals("checkpoint line 4 is empty",
                assertThrows(NoteFormatException.class, () -> Checkpoint.parse("o\n7\n" + root + "\n\n")).getMessage());
        assertEquals("checkpoint line 3: root hash has 12 bytes, not 32",
                assertThrows(NoteFormatException.class, () -> Checkpoint.parse("o\n7\nZG9uJ3QgY2FyZSAy\n")).getMessage());
    }

    /**
     * Rekor's note signatures: ECDSA P-256 over the note text, DER-encoded, after a key hint of
     * SHA-256(SPKI DER)[:4]. Not a signed-note registry type; plugging it in shows the parser and
     * {@link SignedNote#open} are independent of the signature algorithm.
     */
    private static final class EcdsaNoteVerifier implements NoteVerifier {
        private final String name;
        private final PublicKey key;
        private final int keyId;

        EcdsaNoteVerifier(String name, byte[] pem) throws GeneralSecurityException {
            String base64 = new String(pem, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----|\\s", "");
            byte[] der = Base64.getDecoder().decode(base64);
            this.name = name;
            this.key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(der);
            this.keyId = ((hash[0] & 0xff) << 24) | ((hash[1] & 0xff) << 16) | ((hash[2] & 0xff) << 8) | (hash[3] & 0xff);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int keyId() {
            return keyId;
        }

        @Override
        public boolean verify(byte[] text, byte[] signature) {
            try {
                Signature ecdsa = Signature.getInstance("SHA256withECDSA");
                ecdsa.initVerify(key);
                ecdsa.update(text);
                return ecdsa.verify(signature);
            } catch (GeneralSecurityException e) {
                return false;
            }
        }
    }

    private static void assertMalformed(String note, String message) {
        NoteFormatException e = assertThrows(NoteFormatException.class, () -> SignedNote.parse(note.getBytes(StandardCharsets.UTF_8)));
        assertEquals(message, e.getMessage());
    }
}
