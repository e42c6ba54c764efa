package org.sandboxrunner.core.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies one layer's tar stream to an empty directory, producing an overlayfs lower directory: whiteouts
 * ({@code .wh.NAME}) become character devices 0/0 and opaque markers ({@code .wh..wh..opq}) become the
 * {@code trusted.overlay.opaque} and {@code user.overlay.opaque} xattrs, as overlayfs.rst describes (both,
 * so the directory works for a mount in the initial user namespace and for one with {@code userxattr}).
 *
 * <p>Safety: names with a leading {@code /} or a {@code ..} component are refused; every parent directory
 * is opened beneath the layer root without following any symlink ({@link BeneathFs}), so a symlink planted
 * by an earlier entry can never redirect a later write; hard links must name an entry of this layer
 * (linked) or of a lower layer (copied); device nodes and setuid/setgid bits are dropped unless allowed;
 * file capabilities and other xattrs from the archive are not applied.
 */
final class LayerUnpacker {

    private static final String WHITEOUT_PREFIX = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    private static final int MAX_NAME = 4096;
    private static final int MAX_COMPONENT = 255;
    private static final int DIR_MODE = 0755;
    private static final long MAX_ID = 0xfffffffeL;

    private final BeneathFs fs;
    private final UnpackOptions options;

    LayerUnpacker(BeneathFs fs, UnpackOptions options) {
        this.fs = fs;
        this.options = options;
    }

    /**
     * Unpacks {@code tar} into {@code target} (an empty directory). {@code lowers} are the unpacked lower
     * layers, topmost first, consulted only for hard links to files of earlier layers.
     */
    LayerStats apply(TarReader tar, Path target, List<Path> lowers, UnpackBudget budget)
            throws IOException, ImageException {
        long entries = 0;
        long bytes = 0;
        long devices = 0;
        long setuid = 0;
        List<List<String>> directories = new ArrayList<>();
        List<Long> directoryTimes = new ArrayList<>();
        try (BeneathFs.Fd root = fs.openRoot(target)) {
            for (TarEntry e = tar.next(); e != null; e = tar.next()) {
                budget.entry(e.name());
                entries++;
                // (uid_t)-1 means "unchanged" to chown(2); ids must fit below it.
                if (e.uid() > MAX_ID || e.gid() > MAX_ID) {
                    throw refuse(e, "has uid " + e.uid() + " or gid " + e.gid() + " outside 0.." + MAX_ID);
                }
                List<String> path = components(e.name(), "name");
                if (path.isEmpty()) {
                    continue; // the layer root itself: its metadata belongs to the mount, not the image
                }
                String name = path.get(path.size() - 1);
                List<String> parentPath = path.subList(0, path.size() - 1);
                try (BeneathFs.Fd parent = ensureDirectories(root, parentPath, e.name())) {
                    if (name.equals(OPAQUE)) {
                        markOpaque(parent);
                        continue;
                    }
                    if (name.startsWith(WHITEOUT_PREFIX)) {
                        String hidden = name.substring(WHITEOUT_PREFIX.length());
                        if (hidden.startsWith(WHITEOUT_PREFIX)) {
                            continue; // other AUFS metadata (.wh..wh.plnk, ...) has no meaning here
                        }
                        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
                            throw refuse(e, "is a whiteout of nothing");
                        }
                        removeExisting(parent, hidden, target, join(parentPath, hidden));
                        fs.mknod(parent, hidden, BeneathFs.S_IFCHR, 0, 0);
                        continue;
                    }
                    int mode = e.mode();
                    if (!options.allowSetuid() && (mode & 06000) != 0) {
                        mode &= ~06000;
                        setuid++;
                    }
                    Optional<BeneathFs.Stat> existing = fs.stat(parent, name);
                    boolean keepDirectory = e.type() == TarEntry.Type.DIRECTORY
                            && existing.map(BeneathFs.Stat::isDirectory).orElse(false);
                    if (existing.isPresent() && !keepDirectory) {
                        removeExisting(parent, name, target, join(parentPath, name));
                    }
                    switch (e.type()) {
                        case DIRECTORY -> {
                            if (!keepDirectory) {
                                fs.mkdir(parent, name, 0700);
                            }
                            // chown before chmod: chown(2) clears setuid/setgid bits.
                            fs.chown(parent, name, e.uid(), e.gid());
                            try (BeneathFs.Fd dir = fs.openDirectory(parent, name)) {
                                fs.chmod(dir, mode);
                            }
                            readBackMode(parent, name, mode, e);
                            directories.add(List.copyOf(path));
                            directoryTimes.add(e.mtime());
                        }
                        case FILE -> {
                            budget.declare(e.name(), e.size());
                            try (BeneathFs.Fd file = fs.createFile(parent, name, 0600)) {
                                bytes += copy(tar, file);
                                fs.chown(parent, name, e.uid(), e.gid());
                                fs.chmod(file, mode);
                            }
                            readBackMode(parent, name, mode, e);
                            fs.setTimes(parent, name, e.mtime(), 0);
                        }
                        case SYMLINK -> {
                            // The target is stored as text and never resolved here; at run time it
                            // resolves inside the container's root.
                            fs.symlink(e.linkName(), parent, name);
                            finish(parent, name, e);
                        }
                        case HARDLINK -> bytes += hardLink(root, parent, name, e, lowers);
                        case CHAR_DEVICE, BLOCK_DEVICE -> {
                            if (!options.allowDevices()) {
                                devices++;
                                continue;
                            }
                            int type = e.type() == TarEntry.Type.CHAR_DEVICE ? BeneathFs.S_IFCHR : BeneathFs.S_IFBLK;
                            fs.mknod(parent, name, type | mode, e.devMajor(), e.devMinor());
                            finish(parent, name, e);
                        }
                        case FIFO -> {
                            fs.mknod(parent, name, BeneathFs.S_IFIFO | mode, 0, 0);
                            finish(parent, name, e);
                        }
                        default -> throw refuse(e, "has an unsupported type");
                    }
                } catch (NativeFsException x) {
                    throw refuse(e, describe(x));
                }
            }
            // Directory times last, deepest first: creating entries inside would change them again.
            for (int i = directories.size() - 1; i >= 0; i--) {
                List<String> d = directories.get(i);
                try (BeneathFs.Fd parent = fs.openDirectory(root, String.join("/", d.subList(0, d.size() - 1)))) {
                    fs.setTimes(parent, d.get(d.size() - 1), directoryTimes.get(i), 0);
                } catch (NativeFsException x) {
                    if (x.errno() != NativeFsException.ENOENT) {
                        throw x;
                    }
                }
            }
        }
        return new LayerStats(entries, bytes, devices, setuid);
    }

    /** The permission bits, setuid/setgid above all, are read back: what was set is what is there. */
    private void readBackMode(BeneathFs.Fd parent, String name, int mode, TarEntry e)
            throws NativeFsException, ImageException {
        int actual = fs.stat(parent, name).map(st -> st.mode() & 07777).orElse(-1);
        if (actual != mode) {
            throw refuse(e, "mode reads back as " + Integer.toOctalString(actual) + ", not " + Integer.toOctalString(mode));
        }
    }

    private void finish(BeneathFs.Fd parent, String name, TarEntry e) throws NativeFsException {
        fs.chown(parent, name, e.uid(), e.gid());
        fs.setTimes(parent, name, e.mtime(), 0);
    }

    private long copy(TarReader tar, BeneathFs.Fd file) throws IOException, ImageException {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        for (int n = tar.read(buffer, 0, buffer.length); n >= 0; n = tar.read(buffer, 0, buffer.length)) {
            fs.write(file, buffer, n);
            total += n;
        }
        return total;
    }

    /**
     * A hard link names an archive path: linked when it is an entry of this layer, copied when it is a
     * regular file of a lower layer (overlay lowers are separate trees), refused otherwise, so a link can
     * never reach a host file.
     */
    private long hardLink(BeneathFs.Fd root, BeneathFs.Fd parent, String name, TarEntry e, List<Path> lowers)
            throws IOException, ImageException {
        List<String> targetPath = components(e.linkName(), "hard link target");
        if (targetPath.isEmpty()) {
            throw refuse(e, "is a hard link to the layer root");
        }
        String targetName = targetPath.get(targetPath.size() - 1);
        String targetParent = String.join("/", targetPath.subList(0, targetPath.size() - 1));
        Optional<BeneathFs.Stat> here = Optional.empty();
        try (BeneathFs.Fd tp = fs.openDirectory(root, targetParent)) {
            here = fs.stat(tp, targetName);
            if (here.isPresent() && (here.get().isRegular() || here.get().type() == BeneathFs.S_IFLNK)) {
                fs.link(tp, targetName, parent, name);
                return 0;
            }
        } catch (NativeFsException x) {
            if (x.errno() != NativeFsException.ENOENT) {
                throw refuse(e, "hard link target \"" + e.linkName() + "\": " + describe(x));
            }
        }
        if (here.isPresent()) {
            throw refuse(e, "is a hard link to \"" + e.linkName() + "\", which is not a regular file");
        }
        String relative = String.join("/", targetPath);
        for (Path lower : lowers) {
            try (BeneathFs.Fd lowerRoot = fs.openRoot(lower);
                 BeneathFs.Fd lp = fs.openDirectory(lowerRoot, targetParent)) {
                Optional<BeneathFs.Stat> st = fs.stat(lp, targetName);
                if (st.isEmpty()) {
                    continue;
                }
                if (!st.get().isRegular()) {
                    break; // a whiteout or a non-file hides or replaces it
                }
                long copied = 0;
                try (BeneathFs.Fd in = fs.openFileForReading(lowerRoot, relative);
                     BeneathFs.Fd out = fs.createFile(parent, name, 0600)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n = fs.read(in, buffer); n >= 0; n = fs.read(in, buffer)) {
                        fs.write(out, buffer, n);
                        copied += n;
                    }
                    fs.chown(parent, name, st.get().uid(), st.get().gid());
                    fs.chmod(out, st.get().mode() & 07777 & (options.allowSetuid() ? 07777 : ~06000));
                }
                return copied;
            } catch (NativeFsException x) {
                if (x.errno() != NativeFsException.ENOENT) {
                    throw refuse(e, "hard link target \"" + e.linkName() + "\" in a lower layer: " + describe(x));
                }
            }
        }
        throw refuse(e, "is a hard link to \"" + e.linkName() + "\", which is not in the image's layers");
    }

    /**
     * Opens the parent directory of an entry beneath the root, without following symlinks: in one
     * openat2 when it exists (the common case), else one component at a time, creating what is missing
     * (0755, root-owned).
     */
    private BeneathFs.Fd ensureDirectories(BeneathFs.Fd root, List<String> parents, String entry)
            throws IOException, ImageException {
        try {
            return fs.openDirectory(root, String.join("/", parents));
        } catch (NativeFsException x) {
            if (x.errno() != NativeFsException.ENOENT) {
                throw new ImageException("tar entry \"" + entry + "\" is refused: its parent \""
                        + String.join("/", parents) + "\" " + describe(x));
            }
        }
        BeneathFs.Fd current = fs.openDirectory(root, "");
        try {
            for (String part : parents) {
                BeneathFs.Fd next;
                try {
                    next = fs.openDirectory(current, part);
                } catch (NativeFsException x) {
                    if (x.errno() != NativeFsException.ENOENT) {
                        throw new ImageException("tar entry \"" + entry + "\" is refused: its parent \"" + part
                                + "\" " + describe(x));
                    }
                    fs.mkdir(current, part, DIR_MODE);
                    next = fs.openDirectory(current, part);
                }
                current.close();
                current = next;
            }
            return current;
        } catch (IOException | ImageException | RuntimeException x) {
            current.close();
            throw x;
        }
    }

    private void markOpaque(BeneathFs.Fd dir) throws NativeFsException {
        byte[] y = "y".getBytes(StandardCharsets.US_ASCII);
        fs.setXattr(dir, "trusted.overlay.opaque", y);
        fs.setXattr(dir, "user.overlay.opaque", y);
    }

    /** Removes what an entry replaces; a directory is removed with its contents (none are followed). */
    private void removeExisting(BeneathFs.Fd parent, String name, Path target, String relative) throws IOException {
        Optional<BeneathFs.Stat> st = fs.stat(parent, name);
        if (st.isEmpty()) {
            return;
        }
        if (!st.get().isDirectory()) {
            fs.unlink(parent, name, false);
            return;
        }
        // The parent was opened without following symlinks, so target/relative names this very directory,
        // and only this unpacker writes inside the private temporary tree.
        LayerCache.deleteTree(target.resolve(relative));
    }

    /**
     * The components of an archive path: no leading {@code /}, no {@code ..}, no NUL; {@code .} and empty
     * components are dropped. An empty list is the layer root.
     */
    static List<String> components(String raw, String what) throws ImageException {
        if (raw.length() > MAX_NAME) {
            throw new ImageException("tar entry " + what + " is longer than " + MAX_NAME + " bytes");
        }
        if (raw.indexOf('\0') >= 0) {
            throw new ImageException("tar entry " + what + " \"" + raw + "\" contains NUL");
        }
        if (raw.startsWith("/")) {
            throw new ImageException("tar entry " + what + " \"" + raw + "\" is an absolute path; refused");
        }
        List<String> result = new ArrayList<>();
        for (String part : raw.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new ImageException("tar entry " + what + " \"" + raw + "\" contains \"..\"; refused");
            }
            if (part.length() > MAX_COMPONENT) {
                throw new ImageException("tar entry " + what + " \"" + raw + "\" has a component longer than "
                        + MAX_COMPONENT);
            }
            result.add(part);
        }
        return result;
    }

    private static String join(List<String> parent, String name) {
        return parent.isEmpty() ? name : String.join("/", parent) + "/" + name;
    }

    private static ImageException refuse(TarEntry e, String why) {
        return new ImageException("tar entry \"" + e.name() + "\" is refused: " + why);
    }

    private static String describe(NativeFsException x) {
        if (x.errno() == NativeFsException.ELOOP) {
            return "goes through a symlink (" + x.getMessage() + ")";
        }
        if (x.errno() == NativeFsException.ENOTDIR) {
            return "goes through a non-directory (" + x.getMessage() + ")";
        }
        if (x.errno() == NativeFsException.EXDEV) {
            return "leaves the layer (" + x.getMessage() + ")";
        }
        return x.getMessage();
    }
}
