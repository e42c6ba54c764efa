package org.sandboxrunner.core.image;

/** One tar header, after PAX and GNU long-name records were applied. Names are as in the archive. */
public record TarEntry(String name, Type type, int mode, long uid, long gid, long size, long mtime,
                       String linkName, int devMajor, int devMinor) {

    public enum Type { FILE, HARDLINK, SYMLINK, CHAR_DEVICE, BLOCK_DEVICE, DIRECTORY, FIFO }

    public TarEntry {
        if (name == null || type == null || linkName == null) {
            throw new IllegalArgumentException("tar entry parts must not be null");
        }
    }
}
