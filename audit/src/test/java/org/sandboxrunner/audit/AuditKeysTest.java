package org.sandboxrunner.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sandboxrunner.audit.note.Ed25519NoteSigner;
import org.sandboxrunner.audit.note.NoteKeyIds;

class AuditKeysTest {

    @TempDir
    Path dir;

    @Test
    void generateWritesAPrivateKeyOnlyItsOwnerCanReadAndTheVerifierKeyString() throws Exception {
        AuditKeys.GeneratedKey key = AuditKeys.generate("grader.example.org/audit", dir);
        assertEquals(dir.resolve("grader.example.org_audit.skey"), key.signerKeyFile());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key.signerKeyFile())));
        assertEquals(key.verifierKey() + "\n", Files.readString(key.verifierKeyFile()));
        assertTrue(key.verifierKey().matches("grader\\.example\\.org/audit\\+[0-9a-f]{8}\\+[A-Za-z0-9+/]{44}"), key.verifierKey());
        assertTrue(Files.readString(key.signerKeyFile()).startsWith("PRIVATE+KEY+grader.example.org/audit+"));

        Ed25519NoteSigner signer = AuditKeys.loadSigner(key.signerKeyFile());
        assertEquals(key.verifierKey(), signer.verifier().encoded());
        assertEquals(key.verifierKey().split("\\+", 3)[1], NoteKeyIds.hex(signer.keyId()));
        assertFalse(signer.toString().contains(Files.readString(key.signerKeyFile()).split("\\+", 5)[4].strip()), "no seed in toString");
    }

    @Test
    void existingKeysAreNeverOverwritten() throws Exception {
        AuditKeys.GeneratedKey first = AuditKeys.generate("k", dir);
        String before = Files.readString(first.signerKeyFile());
        assertThrows(FileAlreadyExistsException.class, () -> AuditKeys.generate("k", dir));
        assertEquals(before, Files.readString(first.signerKeyFile()));
    }

    @Test
    void aPrivateKeyOthersCanReadIsRefused() throws Exception {
        AuditKeys.GeneratedKey key = AuditKeys.generate("k", dir);
        Files.setPosixFilePermissions(key.signerKeyFile(), PosixFilePermissions.fromString("rw-r--r--"));
        IOException e = assertThrows(IOException.class, () -> AuditKeys.loadSigner(key.signerKeyFile()));
        assertEquals("private key " + key.signerKeyFile() + " has mode rw-r--r--; it must be readable by its owner only (chmod 600)",
                e.getMessage());
    }

    @Test
    void badNamesAndKeysAreRefusedWithTheReason() {
        assertEquals("key name \"my key\" contains the space U+0020, which signed-note forbids",
                assertThrows(IllegalArgumentException.class, () -> AuditKeys.generate("my key", dir)).getMessage());
        assertEquals("verifier key \"nonsense\" is not NAME+KEYID+BASE64",
                assertThrows(IllegalArgumentException.class, () -> AuditKeys.parseVerifier("nonsense")).getMessage());
    }
}
