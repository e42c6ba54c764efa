package org.sandboxrunner.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Set;
import org.sandboxrunner.audit.note.Ed25519NoteSigner;
import org.sandboxrunner.audit.note.Ed25519NoteVerifier;
import org.sandboxrunner.audit.note.NoteFormatException;

/**
 * Checkpoint signing keys in the formats of golang.org/x/mod/sumdb/note, so keys work with other
 * signed-note tools: the private key file holds {@code PRIVATE+KEY+name+keyid+base64(0x01||seed)},
 * the verifier key is {@code name+keyid+base64(0x01||pubkey)}.
 */
public final class AuditKeys {

    /**
     * The files {@link #generate} wrote.
     *
     * @param signerKeyFile the private key, mode 0600
     * @param verifierKeyFile the verifier key string and a newline
     * @param verifierKey the verifier key string, to give to auditors
     */
    public record GeneratedKey(Path signerKeyFile, Path verifierKeyFile, String verifierKey) {
    }

    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private AuditKeys() {
    }

    /**
     * Generates an Ed25519 key named {@code name} and writes {@code DIR/<name>.skey} (created
     * exclusively with mode 0600: it never exists with wider permissions) and {@code DIR/<name>.vkey};
     * characters of the name other than letters, digits, '.', '_' and '-' become '_' in file names.
     *
     * @throws IllegalArgumentException when the name is not a valid signed-note key name
     * @throws FileAlreadyExistsException when either file exists; nothing is overwritten
     */
    public static GeneratedKey generate(String name, Path directory) throws IOException {
        Ed25519NoteSigner signer;
        try {
            signer = Ed25519NoteSigner.generate(name, new SecureRandom());
        } catch (NoteFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        String base = name.replaceAll("[^A-Za-z0-9._-]", "_");
        Path skey = directory.resolve(base + ".skey");
        Path vkey = directory.resolve(base + ".vkey");
        if (Files.exists(vkey)) {
            throw new FileAlreadyExistsException(vkey.toString(), null, "refusing to overwrite a key file");
        }
        try (FileChannel out = FileChannel.open(skey, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            AtomicFiles.writeFully(out, (signer.encodedSecret() + "\n").getBytes(StandardCharsets.UTF_8));
            out.force(true);
        }
        String verifierKey = signer.verifier().encoded();
        try (FileChannel out = FileChannel.open(vkey, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
            AtomicFiles.writeFully(out, (verifierKey + "\n").getBytes(StandardCharsets.UTF_8));
            out.force(true);
        }
        AtomicFiles.syncDirectory(directory);
        return new GeneratedKey(skey, vkey, verifierKey);
    }

    /**
     * Reads a private key file. Like ssh, refuses a file that group or others may access.
     *
     * @throws IOException when it cannot be read, is too open, or is not a signer key (the message
     *         never quotes the file's content)
     */
    public static Ed25519NoteSigner loadSigner(Path file) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (permissions.stream().anyMatch(GROUP_OR_OTHER::contains)) {
            throw new IOException("private key " + file + " has mode " + PosixFilePermissions.toString(permissions)
                    + "; it must be readable by its owner only (chmod 600)");
        }
        try {
            return Ed25519NoteSigner.parse(Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (NoteFormatException e) {
            throw new IOException("private key " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a verifier key string.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static Ed25519NoteVerifier parseVerifier(String verifierKey) {
        try {
            return Ed25519NoteVerifier.parse(verifierKey.strip());
        } catch (NoteFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
