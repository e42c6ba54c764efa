package org.sandboxrunner.core.image;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Reads one layer blob as its uncompressed tar stream and, once the consumer is done, reads the rest and
 * checks the blob's size and digest and the DiffID ({@code rootfs.diff_ids}, sha256 of the uncompressed
 * stream). Every uncompressed byte is charged to the image's budget. Errors name the layer.
 */
final class LayerReader {

    /** What is done with the tar stream (unpacking, or nothing when only checking). */
    interface TarConsumer<T> {
        T accept(InputStream tar) throws IOException, ImageException;
    }

    private LayerReader() {
    }

    static <T> T read(OciLayout layout, Descriptor layer, int index, Digest diffId, UnpackBudget budget,
                      TarConsumer<T> consumer) throws IOException, ImageException {
        String name = "layer " + index + " (" + layer.digest() + ")";
        MediaTypes.Compression compression = MediaTypes.layerCompression(layer.mediaType()).orElseThrow(() ->
                new ImageException(name + " has media type \"" + layer.mediaType()
                        + "\", which is not a tar, tar+gzip or tar+zstd layer"));
        T result;
        Digest actual;
        try (VerifyingBlobStream blob = layout.openBlob(layer);
             InputStream plain = decompress(blob, compression)) {
            DiffIdStream tar = new DiffIdStream(plain, budget);
            result = consumer.accept(tar);
            actual = tar.drainAndDigest();
            blob.drainAndVerify();
        } catch (ImageException e) {
            throw new ImageException(name + ": " + e.getMessage(), e);
        } catch (NativeFsException e) {
            throw e;
        } catch (IOException e) {
            // Anything else from the stream is the layer's fault: a size or digest mismatch, the byte
            // budget, corrupt gzip or zstd data, a truncated archive.
            throw new ImageException(name + " is refused: " + e.getMessage(), e);
        }
        if (!actual.equals(diffId)) {
            throw new ImageException(name + " uncompresses to " + actual + ", but rootfs.diff_ids[" + index + "] is "
                    + diffId);
        }
        return result;
    }

    private static InputStream decompress(InputStream blob, MediaTypes.Compression compression) throws IOException {
        return switch (compression) {
            case NONE -> blob;
            case GZIP -> new GZIPInputStream(blob, 1 << 16);
            case ZSTD -> new ZstdInputStream(blob);
        };
    }
}
