package org.sandboxrunner.core.image;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The content-addressed cache of unpacked layers: {@code ROOT/layers/FLAVOR/sha256/CHAINID/rootfs} is one
 * overlayfs lower directory, keyed by the layer's ChainID (image-spec config.md: the key depends on every
 * layer below, which a hard link copied from a lower layer needs) and by what unpacking allowed
 * ({@link UnpackOptions#flavor()}).
 *
 * <p>A layer is unpacked into {@code ROOT/tmp/}, its blob digest and DiffID are checked at the end of
 * the stream, and only then is the directory renamed into place: a reader sees a complete, verified
 * layer or none. Two runs racing on one layer both unpack; the first rename wins and the loser discards
 * its copy. A cached layer is trusted by its digest on reuse: it can only have been published verified,
 * and the cache root must be owned by this user and writable by no one else, which is checked on open.
 */
public final class LayerCache {

    private static final String META = "layer.json";

    private final Path root;
    private final BeneathFs fs;

    private LayerCache(Path root, BeneathFs fs) {
        this.root = root;
        this.fs = fs;
    }

    /** {@code /var/cache/sandbox-runner} for root, else {@code $XDG_CACHE_HOME/sandbox-runner} (or ~/.cache). */
    public static Path defaultRoot() {
        if (new UnixSystem().getUid() == 0) {
            return Path.of("/var/cache/sandbox-runner");
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && xdg.startsWith("/") ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("sandbox-runner");
    }

    /** Opens (creating, mode 0700) a cache root, refusing one that others could write to. */
    public static LayerCache open(Path root, BeneathFs fs) throws IOException {
        Path abs = root.toAbsolutePath().normalize();
        String text = abs.toString();
        // The lower dirs go into an overlayfs lowerdir= option, where ':' ',' and '\' are separators.
        if (text.contains(":") || text.contains(",") || text.contains("\\")) {
            throw new IOException("cache root " + abs + " must not contain ':', ',' or '\\'");
        }
        Files.createDirectories(abs.getParent());
        if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(abs, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException raced) {
                // another run created it first: checked below like any existing root
            }
        }
        if (Files.isSymbolicLink(abs) || !Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("cache root " + abs + " is not a directory (symlinks are refused)");
        }
        long uid = ((Number) Files.getAttribute(abs, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
        int mode = (Integer) Files.getAttribute(abs, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if (uid != new UnixSystem().getUid() || (mode & 022) != 0) {
            throw new IOException("cache root " + abs + " must be owned by uid " + new UnixSystem().getUid()
                    + " and not writable by group or others (owner " + uid + ", mode "
                    + Integer.toOctalString(mode & 07777) + ")");
        }
        Files.createDirectories(abs.resolve("tmp"));
        return new LayerCache(abs, fs);
    }

    public Path root() {
        return root;
    }

    /** ChainID(L0) = DiffID(L0); ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln)) (config.md). */
    public static List<Digest> chainIds(List<Digest> diffIds) {
        List<Digest> result = new ArrayList<>();
        for (Digest d : diffIds) {
            result.add(result.isEmpty() ? d : Digest.sha256((result.get(result.size() - 1) + " " + d)
                    .getBytes(StandardCharsets.US_ASCII)));
        }
        return result;
    }

    /**
     * Makes every layer of an image available, bottom first, unpacking those not cached yet. Nothing is
     * published for a layer that fails any check.
     */
    public List<CachedLayer> unpack(OciLayout layout, List<Descriptor> layers, List<Digest> diffIds,
                                    UnpackOptions options) throws IOException, ImageException {
        if (layers.size() != diffIds.size()) {
            throw new ImageException(layers.size() + " layers but " + diffIds.size() + " diff_ids");
        }
        for (Digest d : diffIds) {
            if (!d.algorithm().equals("sha256")) {
                throw new ImageException("diff_id " + d + " is not sha256; ChainIDs need sha256");
            }
        }
        List<Digest> chains = chainIds(diffIds);
        UnpackBudget budget = new UnpackBudget(options);
        List<CachedLayer> result = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Path dir = root.resolve("layers").resolve(options.flavor()).resolve("sha256").resolve(chains.get(i).hex());
            Path rootfs = dir.resolve("rootfs");
            if (Files.isDirectory(rootfs, LinkOption.NOFOLLOW_LINKS) && metaMatches(dir, chains.get(i), diffIds.get(i))) {
                result.add(new CachedLayer(chains.get(i), diffIds.get(i), layers.get(i).digest(), rootfs, true,
                        new LayerStats(0, 0, 0, 0)));
                continue;
            }
            List<Path> lowers = new ArrayList<>();
            for (int j = result.size() - 1; j >= 0; j--) {
                lowers.add(result.get(j).directory());
            }
            result.add(unpackOne(layout, layers.get(i), i, chains.get(i), diffIds.get(i), dir, lowers, options, budget));
        }
        return result;
    }

    private CachedLayer unpackOne(OciLayout layout, Descriptor layer, int index, Digest chain, Digest diffId,
                                  Path dir, List<Path> lowers, UnpackOptions options, UnpackBudget budget)
            throws IOException, ImageException {
        Path tmp = Files.createTempDirectory(root.resolve("tmp"), "layer-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Path rootfs = tmp.resolve("rootfs");
            Files.createDirectory(rootfs);
            Files.setPosixFilePermissions(rootfs, PosixFilePermissions.fromString("rwxr-xr-x"));
            LayerStats stats = LayerReader.read(layout, layer, index, diffId, budget,
                    tar -> new LayerUnpacker(fs, options).apply(new TarReader(tar), rootfs, lowers, budget));
            Files.writeString(tmp.resolve(META), "{\"chainId\":\"" + chain + "\",\"diffId\":\"" + diffId
                    + "\",\"blob\":\"" + layer.digest() + "\"}\n");
            Files.createDirectories(dir.getParent());
            try {
                fs.renameNoReplace(tmp, dir);
            } catch (NativeFsException raced) {
                if (raced.errno() != NativeFsException.EEXIST) {
                    throw raced;
                }
                // Another run published this layer first; its copy is as verified as ours.
                if (!metaMatches(dir, chain, diffId)) {
                    throw new IOException("cache entry " + dir + " exists but does not describe " + chain);
                }
                return new CachedLayer(chain, diffId, layer.digest(), dir.resolve("rootfs"), true, stats);
            }
            return new CachedLayer(chain, diffId, layer.digest(), dir.resolve("rootfs"), false, stats);
        } finally {
            deleteTree(tmp);
        }
    }

    private static boolean metaMatches(Path dir, Digest chain, Digest diffId) throws IOException {
        Path meta = dir.resolve(META);
        if (!Files.isRegularFile(meta, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        String text = Files.readString(meta);
        return text.contains("\"chainId\":\"" + chain + "\"") && text.contains("\"diffId\":\"" + diffId + "\"");
    }

    /** Removes a temporary tree; symlinks inside are removed themselves, never followed. */
    static void deleteTree(Path tree) throws IOException {
        if (!Files.exists(tree, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
