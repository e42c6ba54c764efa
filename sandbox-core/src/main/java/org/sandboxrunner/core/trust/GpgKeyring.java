package org.sandboxrunner.core.trust;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;

/** The OpenPGP public keys a {@code signedBy} requirement trusts (binary or ASCII-armored keyrings). */
public final class GpgKeyring {

    private final List<PGPPublicKeyRing> rings;

    private GpgKeyring(List<PGPPublicKeyRing> rings) {
        this.rings = List.copyOf(rings);
    }

    /** Reads one or more keyring files' bytes; {@code source} names them in errors. */
    public static GpgKeyring parse(List<byte[]> keyrings, String source) throws TrustException {
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        for (byte[] data : keyrings) {
            try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(data))) {
                PGPPublicKeyRingCollection collection =
                        new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
                for (Iterator<PGPPublicKeyRing> it = collection.getKeyRings(); it.hasNext(); ) {
                    rings.add(it.next());
                }
            } catch (IOException | PGPException | RuntimeException e) {
                throw new TrustException(source + " is not an OpenPGP public keyring: " + e.getMessage(), e);
            }
        }
        if (rings.isEmpty()) {
            throw new TrustException(source + " holds no OpenPGP public key");
        }
        return new GpgKeyring(rings);
    }

    List<PGPPublicKeyRing> rings() {
        return rings;
    }
}
